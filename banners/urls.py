from django.urls import path

from banners import views

app_name = "banners"

urlpatterns = [
    path("lien-ket/<int:pk>/", views.banner_click, name="banner-click"),
]
