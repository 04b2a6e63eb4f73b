from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from portal.http import NotFound


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /tim-kiem/",
        "Disallow: /xem-truoc/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def _error(request, status, title, message, detail=""):
    context = {"title": title, "message": message, "status": status, "exception_message": detail}
    return render(request, "error.html", context, status=status)


def bad_request(request, exception=None):
    return _error(
        request, 400, "Yêu cầu không hợp lệ", "Địa chỉ hoặc dữ liệu gửi lên không hợp lệ."
    )


def permission_denied(request, exception=None):
    return _error(request, 403, "Không có quyền truy cập", "Bạn không có quyền xem trang này.")


def page_not_found(request, exception=None):
    detail = str(exception) if isinstance(exception, NotFound) else ""
    return _error(
        request, 404, "Không tìm thấy trang",
        "Trang bạn tìm không tồn tại hoặc đã được gỡ bỏ. Mời bạn quay về trang chủ hoặc tìm kiếm.",
        detail,
    )  # fmt: skip


def server_error(request):
    # No context processors or database: this page must render even when they fail.
    from django.template import loader

    html = loader.get_template("500.html").render()
    return HttpResponse(html, status=500)
