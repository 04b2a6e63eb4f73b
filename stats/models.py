from django.db import models

from stats.periods import split_months


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


class ReaderDay(models.Model):
    """One anonymous reader on one day: what the visit rule, the unique-reader counts and
    "Đang truy cập" need. The reader id changes with the daily salt, so a row never
    outlives the next day (the flusher purges older rows).

    The last three columns are scratch space: each batched upsert writes there what it
    added (a new reader, a new visit, new hours) and reads it back with RETURNING, so the
    row lock of the upsert, not a read-then-write, decides between concurrent workers.
    """

    day = models.DateField("ngày")
    reader = models.BinaryField("người đọc (ẩn danh)", max_length=16)
    first_seen = models.DateTimeField("xem lần đầu")
    last_seen = models.DateTimeField("xem lần cuối")
    visits = models.PositiveIntegerField("lượt truy cập", default=1)
    hours = models.IntegerField("các giờ có xem", default=0, help_text="Bit h: xem trong giờ h.")
    new_reader = models.BooleanField(default=True)
    new_visit = models.BooleanField(default=True)
    new_hours = models.IntegerField(default=0)

    class Meta:
        verbose_name = "người đọc trong ngày"
        verbose_name_plural = "người đọc trong ngày"
        get_latest_by = "last_seen"
        constraints = [
            # The ON CONFLICT target of stats.traffic's reader upsert; also the purge by day.
            models.UniqueConstraint(fields=["day", "reader"], name="stats_readerday_unique"),
        ]
        indexes = [
            # "Đang truy cập": readers whose last view is in the last few minutes.
            models.Index(fields=["last_seen"], name="stats_readerday_last_seen"),
        ]

    def __str__(self):
        return f"{self.day.isoformat()} {bytes(self.reader).hex()[:8]}"


class DailyTraffic(models.Model):
    """Page views, visits and distinct readers of one day (Asia/Ho_Chi_Minh), kept forever."""

    day = models.DateField("ngày", primary_key=True)
    page_views = models.PositiveBigIntegerField("lượt xem trang", default=0)
    visits = models.PositiveBigIntegerField("lượt truy cập", default=0)
    readers = models.PositiveBigIntegerField("người đọc", default=0)

    class Meta:
        verbose_name = "thống kê truy cập"
        verbose_name_plural = "Thống kê truy cập"
        ordering = ["-day"]
        get_latest_by = "day"
        permissions = [("view_dashboard", "Xem bảng thống kê truy cập")]

    def __str__(self):
        return self.day.isoformat()


class HourlyTraffic(models.Model):
    """The same counts for one hour of one day; readers are distinct within the hour."""

    day = models.DateField("ngày")
    hour = models.PositiveSmallIntegerField("giờ")
    page_views = models.PositiveBigIntegerField("lượt xem trang", default=0)
    visits = models.PositiveBigIntegerField("lượt truy cập", default=0)
    readers = models.PositiveBigIntegerField("người đọc", default=0)

    class Meta:
        verbose_name = "thống kê theo giờ"
        verbose_name_plural = "thống kê theo giờ"
        ordering = ["-day", "hour"]
        get_latest_by = "day"
        constraints = [
            # The ON CONFLICT target of the flush; the dashboard's day-range filter.
            models.UniqueConstraint(fields=["day", "hour"], name="stats_hourlytraffic_unique"),
            models.CheckConstraint(
                condition=models.Q(hour__lte=23), name="stats_hourlytraffic_hour_range"
            ),
        ]

    def __str__(self):
        return f"{self.day.isoformat()} {self.hour:02d}h"


class Bucket(models.TextChoices):
    """Per-page, per-object and breakdown counts are kept per day and, added up once more
    at write time, per month: a year's report reads 12 monthly rows per key instead of
    365 daily ones."""

    DAY = "d", "ngày"
    MONTH = "m", "tháng"


class PeriodQuerySet(models.QuerySet):
    def in_period(self, start, end):
        """Rows that add up to the days start..end (inclusive): whole months from the
        monthly rows, the days before the first and after the last whole month from the
        daily rows."""
        head, months, tail = split_months(start, end)
        q = models.Q(pk__in=[])
        if months:
            q |= models.Q(bucket=Bucket.MONTH, day__gte=months[0], day__lte=months[-1])
        for first, last in (head, tail):
            if first is not None:
                q |= models.Q(bucket=Bucket.DAY, day__gte=first, day__lte=last)
        return self.filter(q)


class PageViews(models.Model):
    """Page views of one path (no query string) in one day or month."""

    bucket = models.CharField("kỳ", max_length=1, choices=Bucket.choices)
    day = models.DateField("ngày", help_text="Ngày đầu tháng với kỳ tháng.")
    path = models.CharField("trang", max_length=255)
    n = models.PositiveBigIntegerField("lượt xem", default=0)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "lượt xem trang"
        verbose_name_plural = "lượt xem trang"
        ordering = ["-day", "-n"]
        get_latest_by = "day"
        constraints = [
            # The ON CONFLICT target of the flush; its leading (bucket, day) serves
            # the dashboard's "top pages of a period".
            models.UniqueConstraint(
                fields=["bucket", "day", "path"], name="stats_pageviews_unique"
            ),
        ]

    def __str__(self):
        return f"{self.day.isoformat()} {self.path}"


class ObjectViews(models.Model):
    """Counts of one registered object (an article's views, a document's downloads...) in
    one day or month: exactly the increments stats.counting gave its counter column."""

    bucket = models.CharField("kỳ", max_length=1, choices=Bucket.choices)
    day = models.DateField("ngày", help_text="Ngày đầu tháng với kỳ tháng.")
    kind = models.CharField("loại", max_length=32)
    object_id = models.BigIntegerField("đối tượng")
    n = models.PositiveBigIntegerField("lượt", default=0)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "lượt theo đối tượng"
        verbose_name_plural = "lượt theo đối tượng"
        ordering = ["-day", "-n"]
        get_latest_by = "day"
        constraints = [
            # The ON CONFLICT target of stats.counting's write; its leading
            # (bucket, day) serves the dashboard's "top articles of a period".
            models.UniqueConstraint(
                fields=["bucket", "day", "kind", "object_id"], name="stats_objectviews_unique"
            ),
        ]
        indexes = [
            # One object's history ("views of this article per day").
            models.Index(fields=["kind", "object_id", "day"], name="stats_objectviews_object"),
        ]

    def __str__(self):
        return f"{self.day.isoformat()} {self.kind}:{self.object_id}"


class Breakdown(models.Model):
    """Small per-day (and per-month) tallies by one dimension: referring site, browser,
    operating system, device type, and the total of each counted kind."""

    class Dimension(models.TextChoices):
        REFERRER = "referrer", "trang dẫn đến"  # n = page views arriving from that host
        BROWSER = "browser", "trình duyệt"  # n = readers of the day
        OS = "os", "hệ điều hành"  # n = readers of the day
        DEVICE = "device", "thiết bị"  # n = readers of the day
        KIND = "kind", "loại đếm"  # n = counts of that kind (e.g. document downloads)

    bucket = models.CharField("kỳ", max_length=1, choices=Bucket.choices)
    day = models.DateField("ngày", help_text="Ngày đầu tháng với kỳ tháng.")
    dimension = models.CharField("chiều", max_length=16, choices=Dimension.choices)
    value = models.CharField("giá trị", max_length=100)
    n = models.PositiveBigIntegerField("số lượt", default=0)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "phân loại truy cập"
        verbose_name_plural = "phân loại truy cập"
        ordering = ["-day", "dimension", "-n"]
        get_latest_by = "day"
        constraints = [
            # The ON CONFLICT target of the flush; the dashboard's per-dimension tables.
            models.UniqueConstraint(
                fields=["bucket", "day", "dimension", "value"], name="stats_breakdown_unique"
            ),
        ]

    def __str__(self):
        return f"{self.day.isoformat()} {self.dimension}={self.value}"


class Baseline(models.Model):
    """Totals carried over from the replaced site, added to "Tổng lượt truy cập"."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    visits = models.PositiveBigIntegerField(
        "lượt truy cập từ trang cũ",
        default=0,
        help_text="Tổng lượt truy cập của trang cũ lúc chuyển sang; được cộng vào "
        "“Tổng lượt truy cập”.",
    )
    page_views = models.PositiveBigIntegerField(
        "lượt xem trang từ trang cũ",
        default=0,
        help_text="Tổng lượt xem trang của trang cũ lúc chuyển sang.",
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "số liệu từ trang cũ"
        verbose_name_plural = "số liệu từ trang cũ"
        get_latest_by = "updated_at"
        constraints = [
            # One row only: the block adds it without choosing.
            models.CheckConstraint(condition=models.Q(id=1), name="stats_baseline_single_row"),
        ]

    def __str__(self):
        return "Số liệu từ trang cũ"

    @classmethod
    def current(cls) -> "Baseline":
        """The one row, or an unsaved one of zeros before anyone sets it."""
        return cls.objects.filter(pk=1).first() or cls()
