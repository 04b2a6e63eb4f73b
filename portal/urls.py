from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe
from django.views.static import serve

from documents.sitemaps import DocumentSitemap
from news.sitemaps import ArticleSitemap, CategorySitemap
from portal import security, views

admin.site.site_header = "Quản trị cổng thông tin"
admin.site.site_title = "Quản trị"
admin.site.index_title = "Bảng điều khiển"

sitemaps = {"articles": ArticleSitemap, "categories": CategorySitemap, "documents": DocumentSitemap}

urlpatterns = [
    # Before the admin's own catch-all: "Thống kê truy cập" lives inside the admin site.
    path("admin/thong-ke/", include("stats.urls")),
    path("admin/bao-cao/", include("reports.urls")),
    # Before the admin's own: "Xem trên trang" only for objects the user may open there.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(security.view_on_site),
    ),
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
    path("", include("banners.urls")),
    path("", include("pages.urls")),
    path("phien-dang-nhap/", views.session_status, name="session-status"),
    path("phien-dang-nhap/duy-tri/", views.session_keepalive, name="session-keepalive"),
    path("", include("comments.urls")),
    path("van-ban/", include("documents.urls")),
    path("tim-kiem/", include("search.urls")),
    path("", include("news.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

if settings.BENCH_BASELINE:
    from bench.baseline import baseline_page

    urlpatterns += [path("_bench/baseline/", baseline_page, name="bench-baseline")]

# Last of all: old NukeViet links, tried only when no portal URL matched (nukeviet/urls.py).
urlpatterns += [path("", include("nukeviet.urls"))]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
