import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty

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


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware, with the message storage made only when a view or a
    template asks for it: a page served from the page cache (or any request that neither
    adds nor reads a message) builds no cookie and session storage and writes nothing,
    exactly as Django's storage does when it was not used."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        stored = getattr(request, "_messages", None)
        if isinstance(stored, SimpleLazyObject) and stored._wrapped is empty:
            return response  # never used: nothing to save
        return super().process_response(request, response)
