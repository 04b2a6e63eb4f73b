"""Which comments wait for a moderator.

The mode is the "duyệt bình luận" choice of the site settings (SiteSettings.comment_moderation,
edited by the administrators in the admin), read through pages.site, which keeps the record
in the shared cache: no query once warm, and a save in the admin shows on the next comment.
With no settings record saved yet, every comment waits ("all").
"""

import logging

from pages import site

log = logging.getLogger(__name__)

ALL = "all"  # every comment waits for approval (the default)
GUESTS = "guests"  # only comments from readers who are not logged in wait
NONE = "none"  # every comment is published at once
MODES = (ALL, GUESTS, NONE)


def get_mode(request=None) -> str:
    mode = site.comment_moderation(request)
    if mode not in MODES:
        # Only a hand edit of the database gets here; holding everything is the safe side.
        log.error("unknown comment moderation mode %r: holding every comment", mode)
        return ALL
    return mode


def needs_approval(user, request=None) -> bool:
    """Whether a comment posted by `user` (possibly anonymous) is held for a moderator.
    With `request`, the site settings are read once for that request (pages.site.load)."""
    mode = get_mode(request)
    if mode == NONE:
        return False
    logged_in = user is not None and user.is_authenticated
    if mode == GUESTS:
        return not logged_in
    # "all": only people who could approve it themselves skip the queue.
    return not (logged_in and user.has_perm("comments.change_comment"))
