from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse

from portal import pagecache, sessions

register = template.Library()


@register.simple_tag(takes_context=True)
def per_view(context, name, argument=""):
    """{% per_view "stats" %}: a part of the page made for each page view, also when the
    rest of the page comes from the page cache (portal.pagecache)."""
    return pagecache.per_view(context.get("request"), name, str(argument))


@register.simple_tag(takes_context=True)
def session_notice(context):
    """The keep-alive notice and its script, for a logged-in user only (readers have no
    session, and nothing is read or rendered for them)."""
    request = context.get("request")
    if request is None or not sessions.has_session_cookie(request):
        return ""
    if not request.user.is_authenticated:
        return ""
    return render_to_string(
        "includes/session_notice.html",
        {
            "show": True,
            "remaining": sessions.remaining(request),
            "warning": settings.SESSION_WARNING_SECONDS,
            "status_url": reverse("session-status"),
            "keepalive_url": reverse("session-keepalive"),
            "login_url": reverse(settings.LOGIN_URL),
            "csrf": get_token(request),
            "user_id": request.user.pk,
        },
    )
