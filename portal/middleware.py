import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

from portal import sessions

log = logging.getLogger(__name__)

EXPIRED_MESSAGE = (
    "Phiên đăng nhập đã hết hạn vì quá lâu không sử dụng, bạn đã được đăng xuất. Mời đăng nhập lại."
)


def passive_session(view):
    """Mark a view whose requests are not user activity (the session status poll)."""
    view.passive_session = True
    return view


class SessionActivityMiddleware:
    """Log out a user whose session has been idle for SESSION_COOKIE_AGE seconds, and slide
    the expiry on every other request (see portal.sessions).

    Requests without a session cookie (every reader) are left alone: no session is read
    or created for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if sessions.has_session_cookie(request):
            try:
                self._expire(request)
            except Exception:
                log.exception("session expiry check failed")
                if settings.DEBUG:
                    raise
        return self.get_response(request)

    def _expire(self, request):
        if request.user.is_authenticated and sessions.is_expired(request):
            logout(request)
            request.portal_session_expired = True
            messages.warning(request, EXPIRED_MESSAGE)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "passive_session", False) or not sessions.has_session_cookie(request):
            return None
        try:
            if request.user.is_authenticated:
                sessions.touch(request)
        except Exception:
            log.exception("session refresh failed")
            if settings.DEBUG:
                raise
        return None
