from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView
from django.views.static import serve

from contact.sitemaps import QuestionSitemap
from documents.sitemaps import DocumentSitemap
from news.sitemaps import ArticleSitemap, CategorySitemap, TopicSitemap
from polls.sitemaps import PollSitemap
from portal import security, views
from schedule.sitemaps import ScheduleSitemap

admin.site.site_header = "Quản trị cổng thông tin"
admin.site.site_title = "Quản trị"
admin.site.index_title = "Bảng điều khiển"
# The side menu repeats the index and took a quarter of a 1366 px screen from the lists
# (article titles wrapped into eight lines, "Lượt xem" off the edge).
admin.site.enable_nav_sidebar = False

sitemaps = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "documents": DocumentSitemap,
    "polls": PollSitemap,
    "questions": QuestionSitemap,
    "schedule": ScheduleSitemap,
    "topics": TopicSitemap,
}

urlpatterns = [
    # Before the admin's own catch-all: "Thống kê truy cập" lives inside the admin site.
    path("admin/thong-ke/", include("stats.urls")),
    path("admin/bao-cao/", include("reports.urls")),
    # The index's "Báo cáo" section heading: straight to the reports page (the section has
    # no other entry, so its own page would be one more click to nowhere).
    path(
        "admin/reports/",
        admin.site.admin_view(RedirectView.as_view(pattern_name="reports:index")),
    ),
    # Before the admin's own: "Xem trên trang" only for objects the user may open there.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(security.view_on_site),
    ),
    # Before the admin's own: the login in two steps and "Xác thực hai bước".
    path("admin/", include("twofactor.urls")),
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz", views.healthz, name="healthz"),
    # GET only, like every reader page (a POST is 405).
    path("sitemap.xml", require_safe(sitemap_index), {"sitemaps": sitemaps}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        require_safe(sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    # The reader pages first: a request's path is tried against the patterns in order.
    path("", include("news.urls")),
    path("", include("banners.urls")),
    path("", include("pages.urls")),
    path("ma-gui/", views.form_tokens, name="form-tokens"),
    path("phien-dang-nhap/", views.session_status, name="session-status"),
    path("phien-dang-nhap/duy-tri/", views.session_keepalive, name="session-keepalive"),
    path("", include("comments.urls")),
    path("van-ban/", include("documents.urls")),
    path("tham-do/", include("polls.urls")),
    path("", include("contact.urls")),
    path("lich-cong-tac/", include("schedule.urls")),
    path("tim-kiem/", include("search.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Last of all: old NukeViet links, tried only when no portal URL matched (nukeviet/urls.py).
urlpatterns += [path("", include("nukeviet.urls"))]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
