"""Taking, renewing, releasing and taking over edit locks (locks.models.EditLock)."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from locks.models import EditLock, idle_limit


def lock_acquire(*, obj, user, session_key: str) -> EditLock:
    """The object's lock: ours (taken or renewed now), or the live one someone else holds."""
    ct = ContentType.objects.get_for_model(obj)
    now = timezone.now()
    key = {"content_type": ct, "object_id": str(obj.pk)}
    for _attempt in range(2):
        with transaction.atomic():
            lock = EditLock.objects.select_for_update().select_related("user").filter(**key).first()
            if lock is None:
                try:
                    with transaction.atomic():
                        return EditLock.objects.create(
                            **key, user=user, session_key=session_key, since=now, renewed_at=now
                        )
                except IntegrityError:
                    continue  # another editor's insert won: read theirs
            if lock.user_id == user.pk:
                lock.renewed_at, lock.session_key = now, session_key
                lock.save(update_fields=["renewed_at", "session_key"])
                return lock
            if lock.renewed_at < now - idle_limit():
                # Left idle: the newcomer takes it (the old holder is not "taken over").
                lock.user, lock.session_key, lock.since, lock.renewed_at = (
                    user,
                    session_key,
                    now,
                    now,
                )
                lock.taken_from = None
                lock.save()
                return lock
            return lock
    raise RuntimeError("edit lock could not be read or taken")


def lock_renew(*, user, session_key: str) -> int:
    """The session keep-alive: every lock this user's session holds stays alive."""
    return EditLock.objects.filter(user=user, session_key=session_key).update(
        renewed_at=timezone.now()
    )


def lock_release(*, obj, user) -> None:
    EditLock.objects.of(obj).filter(user=user).delete()


def lock_take_over(*, obj, user, session_key: str, request=None) -> EditLock | None:
    """Move a live lock to `user`; the caller has checked the permission."""
    with transaction.atomic():
        lock = EditLock.objects.of(obj).select_for_update().select_related("user").first()
        if lock is None or lock.user_id == user.pk:
            return lock_acquire(obj=obj, user=user, session_key=session_key)
        previous = lock.user
        now = timezone.now()
        lock.taken_from = previous
        lock.user, lock.session_key, lock.since, lock.renewed_at = user, session_key, now, now
        lock.save()
        audit_record(
            action=AuditEntry.Action.LOCK_TAKEOVER, request=request, obj=obj,
            detail=f"Tiếp quản từ {previous.get_username()}",
        )  # fmt: skip
        return lock


def lock_holder(obj) -> EditLock | None:
    """The live lock on `obj`, if any."""
    return EditLock.objects.of(obj).alive().select_related("user", "taken_from").first()
