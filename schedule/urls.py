from django.urls import path

from schedule import views

app_name = "schedule"

urlpatterns = [
    path("", views.week, name="week"),
    path("in/", views.week_print, name="print"),
    path("<slug:slug>/", views.leader_week, name="leader"),
    path("<slug:slug>/lich.ics", views.leader_feed, name="feed"),
]
