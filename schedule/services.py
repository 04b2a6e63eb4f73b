from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from schedule.models import Entry, Week


class ScheduleError(Exception):
    pass


def week_copy_forward(*, week: Week) -> Week:
    """Copy a week's entries to the next week (made if missing, left unpublished). Refused
    when the next week already has entries, so nothing is doubled."""
    with transaction.atomic():
        target, _ = Week.objects.get_or_create(start=week.start + timedelta(days=7))
        if target.entries.exists():
            raise ScheduleError(f"{target} đã có lịch; không sao chép để tránh trùng.")
        Entry.objects.bulk_create(
            Entry(
                week=target,
                leader_id=e.leader_id,
                day=e.day + timedelta(days=7),
                start=e.start,
                end=e.end,
                content=e.content,
                place=e.place,
                attendees=e.attendees,
                preparer=e.preparer,
            )  # fmt: skip
            for e in week.entries.all()
        )
    return target


def week_publish(*, week: Week) -> bool:
    """Publish a week; False when it was already published (its marks stay). Saved, not
    updated, so the pages' content generation moves and readers see it at once."""
    if week.published_at is not None:
        return False
    week.published_at = timezone.now()
    week.save(update_fields=["published_at"])
    return True
