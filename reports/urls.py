from django.contrib import admin
from django.urls import path

from reports import views

app_name = "reports"

# Inside the admin site (/admin/bao-cao/): its login, its look. Each view checks the
# reporting permission itself.
urlpatterns = [
    path("", admin.site.admin_view(views.index), name="index"),
    path("tai-ve/", admin.site.admin_view(views.download), name="download"),
    path("tep/<str:job_id>/", admin.site.admin_view(views.export_file), name="file"),
]
