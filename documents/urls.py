from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.library, name="library"),
    path("tep/<int:pk>/tai-ve/", views.download, name="download"),
    path("tep/<int:pk>/xem/", views.download, {"inline": True}, name="view-file"),
    path("<slug:slug>/", views.document_detail, name="detail"),
]
