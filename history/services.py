"""Versions of staff-edited objects, kept by django-reversion.

Why django-reversion rather than django-simple-history: one pair of tables (revision,
version) for every model instead of a history table per model that mirrors its columns
(and has to be migrated with it); one revision groups an object with what it follows (a
document and its files, saved by one form) so "what did this save change" is one row;
versions are only written inside a revision block (our admin views), so the reader pages,
the counters' UPDATEs and the importer write nothing and cost nothing; and its admin
integration (VersionAdmin) is the shape the house style points to. The versions' own
views here are ours because restoring must go through the role rules and the diff must
read as text.
"""

from datetime import datetime

import reversion
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from audit.models import AuditEntry
from audit.services import audit_record


class RestoreRefusedError(Exception):
    """Restoring this version would break a rule; the message says which (Vietnamese)."""


def versions_of(obj):
    return (
        Version.objects.get_for_object(obj)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def version_restore(*, request, obj, version: Version, fields: list[str]) -> None:
    """Put `fields` of `version` back onto `obj` and save, as a new version.

    The caller has checked that the user may change `obj` and that the restored values are
    within their role (ModelAdmin.history_check_restore)."""
    values = version.field_dict
    many = []
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            if field.attname in values:
                many.append((field, values[field.attname]))
        elif field.attname in values:
            setattr(obj, field.attname, values[field.attname])
    moment = timezone.localtime(version.revision.date_created)
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(request.user)
        reversion.set_comment(f"Khôi phục phiên bản lúc {_when(moment)}")
        concrete = [
            obj._meta.get_field(n).attname
            for n in fields
            if not obj._meta.get_field(n).many_to_many
        ]
        obj.save(update_fields=[*concrete, *_auto_now(obj)])
        for field, ids in many:
            # Related rows deleted since then are left out (their ids no longer exist).
            existing = field.related_model._default_manager.filter(pk__in=ids)
            getattr(obj, field.name).set(existing)
        audit_record(
            action=AuditEntry.Action.RESTORE, request=request, obj=obj,
            detail=f"Khôi phục phiên bản #{version.pk} ({_when(moment)})",
        )  # fmt: skip


def _auto_now(obj) -> list[str]:
    return [f.attname for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]


def _when(moment: datetime) -> str:
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"
