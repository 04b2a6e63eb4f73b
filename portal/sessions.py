"""Sliding session expiry for logged-in users (staff in practice).

A session lasts SESSION_COOKIE_AGE seconds after the last activity. Activity is recorded
in the session as a timestamp; recording it marks the session modified, so Django's
SessionMiddleware saves it with a fresh expiry (database row and cookie). To avoid a
write per request, activity is recorded at most once per SESSION_REFRESH_SECONDS (and
never less often than a tenth of the session length, so short test sessions still slide).
"""

import time

from django.conf import settings
from django.dispatch import Signal

SEEN_KEY = "_portal_seen"

# Sent with (request) when a logged-in user's page asks to stay logged in
# (views.session_keepalive): what else lives while the page is open (edit locks) renews.
session_kept_alive = Signal()


def session_age() -> int:
    return int(settings.SESSION_COOKIE_AGE)


def refresh_interval() -> int:
    return max(1, min(int(settings.SESSION_REFRESH_SECONDS), session_age() // 10))


def has_session_cookie(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def last_seen(request) -> float | None:
    value = request.session.get(SEEN_KEY)
    return float(value) if isinstance(value, int | float) else None


def is_expired(request, now: float | None = None) -> bool:
    seen = last_seen(request)
    now = time.time() if now is None else now
    return seen is not None and now - seen >= session_age()


def touch(request, *, force: bool = False) -> None:
    """Record activity now (and so extend the session), unless done very recently."""
    now = time.time()
    seen = last_seen(request)
    if force or seen is None or now - seen >= refresh_interval():
        request.session[SEEN_KEY] = round(now, 3)


def remaining(request) -> int:
    """Seconds until the session expires from inactivity (0 when logged out)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    seen = last_seen(request)
    if seen is None:
        return session_age()
    return max(0, round(seen + session_age() - time.time()))
