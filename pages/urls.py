from django.urls import path

from pages import views

app_name = "pages"

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("trang/<slug:slug>/", views.page_detail, name="page-detail"),
]
