"""Attack surface: the Content-Security-Policy and other browser headers, and what the
admin login lockout (django-axes) records and answers.

One policy for every page, readers' and staff's: scripts and styles only from our own
static files (no inline script, no inline style, no eval), images from our media or any
https address (article bodies may show pictures from other sites, see portal.richtext),
nothing embedded, no framing, forms post only here. Neither script-src nor style-src ever
has 'unsafe-inline'. The admin adds two hashes, both for django-prose-editor:

- its `<script type="importmap">`, by the hash of that exact JSON, computed from the
  response (admin pages only). An import map runs no code: it only names which of our own
  'self' scripts a module import loads;
- the one `<style>` element that Tiptap (inside the editor's editor.js) writes when the
  editor starts (EDITOR_STYLE_HASHES). After an upgrade of django-prose-editor,
  tests/browser/test_csp_flow.py fails and Chromium's message names the new hash.
"""

import base64
import hashlib
import ipaddress
import re
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import MiddlewareNotUsed
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac

from portal import richtext
from portal.http import client_ip

_IMPORTMAP_RE = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)

# sha256 of Tiptap's injected base CSS in django-prose-editor 0.28's editor.js.
EDITOR_STYLE_HASHES = ["'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"]

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def _policy(*, admin_site: bool, https: bool) -> dict[str, list[str]]:
    policy = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        # Exactly the video hosts the rich-text sanitiser keeps iframes of.
        "frame-src": richtext.embed_hosts(),
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
    if admin_site:
        policy["style-src"].extend(EDITOR_STYLE_HASHES)
    if https:
        policy["upgrade-insecure-requests"] = []
    return policy


def _render(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *values]) for name, values in policy.items())


def _script_hash(body: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"


class ContentSecurityPolicyMiddleware:
    """Adds Content-Security-Policy (to HTML pages) and Permissions-Policy (to every
    response). CSP_REPORT_ONLY=1 sends the policy as Content-Security-Policy-Report-Only,
    to try a change in production without breaking a page."""

    def __init__(self, get_response):
        if not settings.CSP_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.header = (
            "Content-Security-Policy-Report-Only"
            if settings.CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        self.admin_prefix = "/admin/"
        self.reader_policy = _render(_policy(admin_site=False, https=settings.HTTPS))
        self.admin_policy = _policy(admin_site=True, https=settings.HTTPS)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        content_type = response.headers.get("Content-Type", "")
        if self.header in response.headers or not content_type.startswith("text/html"):
            return response
        if request.path.startswith(self.admin_prefix):
            response.headers[self.header] = self._admin_header(response)
        else:
            response.headers[self.header] = self.reader_policy
        return response

    def _admin_header(self, response) -> str:
        policy = {name: list(values) for name, values in self.admin_policy.items()}
        if not response.streaming:
            for body in _IMPORTMAP_RE.findall(response.content):
                policy["script-src"].append(_script_hash(body))
        return _render(policy)


# -- Admin login lockout (django-axes) -------------------------------------------------
#
# Axes keeps each failed login with the client's "IP address" in an inet column. It never
# sees the real one: AXES_CLIENT_IP_CALLABLE gives it a keyed hash of the address (the
# same PROXY_COUNT-aware address the reader id uses), written as an IPv6 address inside
# the documentation range 2001:db8::/32, which no real client ever has. The hash is stable
# (unlike the daily reader id) so a lockout survives midnight, and it can be recomputed
# only with the SECRET_KEY.

_CLIENT_ID_PREFIX = ipaddress.IPv6Address("2001:db8::").packed[:4]


def login_client_id(request) -> str:
    """The pseudonymous client id that axes stores in place of an IP address."""
    address = client_ip(request)
    digest = salted_hmac("portal.security.login_client_id", address, algorithm="sha256")
    return str(ipaddress.IPv6Address(_CLIENT_ID_PREFIX + digest.digest()[:12]))


def cool_off() -> timedelta:
    return settings.AXES_COOLOFF_TIME


def _recent_attempts(client_id: str):
    since = timezone.now() - cool_off()
    return AccessAttempt.objects.filter(ip_address=client_id, attempt_time__gte=since)


def client_failures(client_id: str) -> int:
    """Failed logins of one client, over every user name, within the cool-off."""
    total = _recent_attempts(client_id).aggregate(n=Sum("failures_since_start"))["n"]
    return total or 0


def client_cap_lifts_at(client_id: str):
    """When the client's cap lifts: a user name's failures stop counting a cool-off after
    its last failure, so the cap lifts once enough of the oldest have aged out."""
    rows = list(
        _recent_attempts(client_id)
        .order_by("attempt_time")
        .values_list("attempt_time", "failures_since_start")
    )
    total = sum(n for _, n in rows)
    for attempt_time, n in rows:
        total -= n
        if total < settings.LOGIN_CLIENT_FAILURE_LIMIT:
            return attempt_time + cool_off()
    return timezone.now()


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout of a (user name, client) pair, plus a cap on one client's
    failures over all user names (LOGIN_CLIENT_FAILURE_LIMIT), so that trying one password
    on many accounts is stopped too. The pair lock alone allows AXES_FAILURE_LIMIT tries
    per user name; the client cap is higher so that colleagues behind one office address
    do not lock each other out with a few typos."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and settings.AXES_ENABLED:
            AxesProxyHandler.update_request(request)
            if client_failures(request.axes_ip_address) >= settings.LOGIN_CLIENT_FAILURE_LIMIT:
                # AxesMiddleware answers lockout_response() for a request marked like this;
                # the mark of the client cap lets the page say which limit was hit.
                request.axes_locked_out = True
                request.login_client_capped = True
                raise AxesBackendPermissionDenied("too many failed logins from this client")
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets: a page in Vietnamese that says which limit was hit
    (this user name from this client, or every login from this client) and when it lifts,
    429 and Retry-After."""
    capped = getattr(request, "login_client_capped", False)
    if capped:
        lifts_at = client_cap_lifts_at(request.axes_ip_address)
        seconds = max(60, int((lifts_at - timezone.now()).total_seconds()))
    else:
        # Axes records an attempt made while locked out too: the lock lifts a cool-off
        # after this one.
        seconds = int(cool_off().total_seconds())
        lifts_at = timezone.now() + cool_off()
    context = {
        **admin.site.each_context(request),
        "title": "Tạm khóa đăng nhập",
        "client_capped": capped,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "client_limit": settings.LOGIN_CLIENT_FAILURE_LIMIT,
        "minutes": -(-seconds // 60),
        "lifts_at": timezone.localtime(lifts_at),
    }
    response = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


# -- The admin's "Xem trên trang" ------------------------------------------------------


def view_on_site(request, content_type_id, object_id):
    """admin:view_on_site, for an object the user may open in the admin only.

    Django's own shortcut sends any staff member to the public address of any object by its
    id: a reporter could learn the address (made from the title) of an editor's draft they
    cannot open. Here the object is looked up through its ModelAdmin's queryset and view
    permission first; anything else is the same 404 as a missing object.
    """
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except (ValueError, ContentType.DoesNotExist):
        raise Http404 from None
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    obj = model_admin.get_object(request, object_id)
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)
