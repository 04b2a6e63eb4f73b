from django.urls import path

from news import feeds, upload, views

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    path("chuyen-muc/<slug:slug>/", views.category_detail, name="category"),
    path("chuyen-muc/<slug:slug>/rss/", feeds.CategoryFeed(), name="category-feed"),
    path("the/<slug:slug>/", views.tag_detail, name="tag"),
    path("tim-kiem/", views.search, name="search"),
    path("rss/", feeds.LatestFeed(), name="feed"),
    path("bai-viet/<slug:slug>/", views.article_detail, name="article"),
    path("bai-viet/<slug:slug>/in/", views.article_print, name="article-print"),
    path("bien-tap/tai-anh/", upload.body_image_upload, name="body-image-upload"),
]
