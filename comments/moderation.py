"""Which comments wait for a moderator. One function, so the source of the setting (today
the COMMENT_MODERATION environment variable, later the site settings page) changes in one
place."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALL = "all"  # every comment waits for approval (the default)
GUESTS = "guests"  # only comments from readers who are not logged in wait
NONE = "none"  # every comment is published at once
MODES = (ALL, GUESTS, NONE)


def get_mode() -> str:
    mode = getattr(settings, "COMMENT_MODERATION", ALL) or ALL
    if mode not in MODES:
        raise ImproperlyConfigured(
            f"COMMENT_MODERATION must be one of {', '.join(MODES)}, not {mode!r}"
        )
    return mode


def needs_approval(user) -> bool:
    """Whether a comment posted by `user` (possibly anonymous) is held for a moderator."""
    mode = get_mode()
    if mode == NONE:
        return False
    logged_in = user is not None and user.is_authenticated
    if mode == GUESTS:
        return not logged_in
    # "all": only people who could approve it themselves skip the queue.
    return not (logged_in and user.has_perm("comments.change_comment"))
