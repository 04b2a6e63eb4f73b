from django.db import models


class DailySalt(models.Model):
    """The random salt that turns a reader's address into an anonymous id for one day.

    Shared by every worker through the database; yesterday's row is deleted when today's is
    made, so yesterday's ids cannot be recomputed or linked to today's.
    """

    day = models.DateField("ngày", primary_key=True)
    value = models.BinaryField("muối", max_length=32)

    class Meta:
        verbose_name = "muối ngày"
        verbose_name_plural = "muối ngày"
        get_latest_by = "day"

    def __str__(self):
        return self.day.isoformat()


class CountMark(models.Model):
    """A reader counted for one object (an article view, a download, ...) and when.

    A new count for the same reader and object is taken only once the mark is older than
    the dedup window (STATS_DEDUP_MINUTES); the batched upsert in stats.counting decides
    that in one statement. Old marks are purged by the flusher.
    """

    kind = models.CharField("loại", max_length=32)
    object_id = models.BigIntegerField("đối tượng")
    reader = models.BinaryField("người đọc (ẩn danh)", max_length=16)
    counted_at = models.DateTimeField("lúc đếm")

    class Meta:
        verbose_name = "dấu đếm"
        verbose_name_plural = "dấu đếm"
        constraints = [
            # The ON CONFLICT target of the batched upsert in stats.counting.
            models.UniqueConstraint(
                fields=["kind", "object_id", "reader"], name="stats_countmark_unique"
            ),
        ]
        indexes = [
            # The purge of marks older than the dedup window.
            models.Index(fields=["counted_at"], name="stats_countmark_counted_at"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id}"
