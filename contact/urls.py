from django.urls import path

from contact import views

app_name = "contact"

urlpatterns = [
    path("lien-he/", views.contact, name="contact"),
    path("hoi-dap/", views.questions, name="questions"),
    path("hoi-dap/<int:pk>/", views.question, name="question"),
]
