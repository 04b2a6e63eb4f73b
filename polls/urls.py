from django.urls import path

from polls import views

app_name = "polls"

urlpatterns = [
    path("", views.poll_list, name="list"),
    path("<slug:slug>/", views.poll_detail, name="detail"),
    path("<slug:slug>/binh-chon/", views.poll_vote, name="vote"),
]
