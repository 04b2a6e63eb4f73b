"""When the database is away, readers get a short page in Vietnamese ("Hệ thống tạm thời
gián đoạn") with 503 and Retry-After, never a stack trace, and the portal comes back by
itself: with CONN_HEALTH_CHECKS each request first checks its persistent connection and
opens a new one when the old one is broken, so nothing has to be restarted.

The page is a plain template rendered without a request: no context processor, no
template tag, nothing that could query the database that just failed.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
FALLBACK_HTML = (
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
    "<title>Hệ thống tạm thời gián đoạn</title></head><body>"
    "<h1>Hệ thống tạm thời gián đoạn</h1><p>Mời bạn tải lại trang sau ít phút.</p></body></html>"
)


def is_database_outage(exception: BaseException | None) -> bool:
    """OperationalError (cannot connect, connection lost, server shutting down) and
    InterfaceError (connection already closed) are what psycopg2 raises when PostgreSQL
    is unreachable; Django wraps both into these classes."""
    return isinstance(exception, OperationalError | InterfaceError)


def outage_response() -> HttpResponse:
    try:
        html = loader.get_template("outage.html").render()
    except Exception:
        log.exception("could not render outage.html")
        html = FALLBACK_HTML
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Turns a database error raised by a view (or by rendering its template) into the
    outage page. Errors raised outside views (in another middleware) reach handler500,
    which answers the same page (portal.views.server_error). Under DEBUG the error is left
    to Django's technical page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG or not is_database_outage(exception):
            return None
        log.error("database unavailable for %s %s: %s", request.method, request.path, exception)
        return outage_response()
