"""audit_record(): the one way entries are written."""

import logging

from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEntry

log = logging.getLogger(__name__)


def client_of(request) -> str:
    # A request made up in code (Client.force_login's, a command's) has come from nowhere.
    if request is None or not request.META.get("REMOTE_ADDR"):
        return ""
    from stats import readers

    try:
        return readers.reader_id(request).hex()
    except Exception:  # the salt table unreachable: the entry still counts more than "where"
        log.exception("audit: no reader id")
        return ""


def audit_record(
    *,
    action: str,
    request=None,
    user=None,
    username: str = "",
    obj=None,
    detail: str = "",
    content_type_id: int | None = None,
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Record one entry. `user` defaults to the request's user (when logged in); the object
    is `obj`, or named by the other three (one already deleted)."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not username:
        username = user.get_username()
    entry = AuditEntry(
        action=action, user=user, username=username[:150], detail=detail,
        client=client_of(request), content_type_id=content_type_id,
        object_id=str(object_id)[:64], object_repr=object_repr[:300],
    )  # fmt: skip
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)[:64]
        entry.object_repr = str(obj)[:300]
    entry.save()
    return entry
