from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("bai-viet/<slug:slug>/binh-luan/", views.comment_post, name="comment-post"),
    path("bai-viet/<slug:slug>/danh-gia/", views.rate, name="rate"),
    path("binh-luan/ma-gui/<int:article_id>/", views.form_tokens, name="form-tokens"),
    path("binh-luan/ma-xac-nhan/<str:token>/", views.captcha_image, name="captcha"),
]
