import sys

from django.conf import settings
from django.db import connection
from django.http import (
    HttpResponse,
    HttpResponseForbidden,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST, require_safe

from portal import outage, sessions
from portal.http import NotFound
from portal.middleware import passive_session


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /tim-kiem/",
        "Disallow: /xem-truoc/",
        "Disallow: /lien-ket/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def form_tokens(request):
    """The CSRF token for a form on a cached page, fetched by static/js/forms.js when the
    form comes into view: cached HTML carries no token (one would be another reader's),
    and a page-cache hit makes none (portal.pagecache)."""
    return JsonResponse({"csrf": get_token(request)})


def _session_state(request):
    """{"authenticated", "remaining"}; a 401 once logged out, which session.js reads."""
    authenticated = request.user.is_authenticated
    return JsonResponse(
        {"authenticated": authenticated, "remaining": sessions.remaining(request)},
        status=200 if authenticated else 401,
    )


@passive_session
@require_safe
@never_cache
def session_status(request):
    """How long the session has left; asking does not extend it."""
    return _session_state(request)


@require_POST
@never_cache
def session_keepalive(request):
    """'Bấm vào đây để duy trì trạng thái đăng nhập': extend the session on the server."""
    if request.user.is_authenticated:
        sessions.touch(request, force=True)
        sessions.session_kept_alive.send(sender=None, request=request)
    return _session_state(request)


def _error(request, status, title, message, detail=""):
    # A page nobody asked to see (a mistyped address, a probe) counts nothing, not even
    # the banners it shows (stats.counting.counts).
    request.not_counted = True
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


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid token (an expired session, a page
    left open too long, a cross-site post). A plain page: no base.html, no query."""
    # Django's reason ("CSRF cookie not set.", ...) helps a developer, not a reader.
    context = {"reason": reason if settings.DEBUG else ""}
    html = loader.get_template("csrf_failure.html").render(context)
    return HttpResponseForbidden(html)


def server_error(request):
    # No context processors or database: this page must render even when they fail.
    # A database failure outside a view (in a middleware) ends here, not in
    # outage.DatabaseOutageMiddleware: readers get the same 503 page.
    if outage.is_database_outage(sys.exc_info()[1]):
        return outage.outage_response()
    html = loader.get_template("500.html").render()
    return HttpResponse(html, status=500)
