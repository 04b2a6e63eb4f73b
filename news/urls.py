from django.urls import path
from django.views.decorators.http import require_safe

from news import feeds, upload, views

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    path("chuyen-muc/<slug:slug>/", views.category_detail, name="category"),
    # Feeds are read with GET only (a POST is 405, like every reader page).
    path("chuyen-muc/<slug:slug>/rss/", require_safe(feeds.CategoryFeed()), name="category-feed"),
    path("the/<slug:slug>/", views.tag_detail, name="tag"),
    path("so-do-trang/", views.site_map, name="site-map"),
    path("dong-su-kien/", views.topic_list, name="topics"),
    path("dong-su-kien/<slug:slug>/", views.topic_detail, name="topic"),
    path("rss/", require_safe(feeds.LatestFeed()), name="feed"),
    path("bai-viet/<slug:slug>/", views.article_detail, name="article"),
    path("bai-viet/<slug:slug>/in/", views.article_print, name="article-print"),
    path("bien-tap/tai-anh/", upload.body_image_upload, name="body-image-upload"),
]
