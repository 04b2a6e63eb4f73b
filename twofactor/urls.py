from django.contrib import admin
from django.urls import path

from twofactor import views

app_name = "twofactor"

# Included under admin/ before the admin site's own URLs (portal/urls.py).
urlpatterns = [
    path("login/", views.login, name="login"),
    path("xac-thuc/", views.verify, name="verify"),
    path("xac-thuc-hai-buoc/", admin.site.admin_view(views.setup), name="setup"),
]
