"""The leadership work schedule ("Lịch công tác"): weeks of entries, per leader or for the
whole office, published by staff; entries changed after publishing are marked
"đã điều chỉnh"."""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.text import vn_slugify

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_week(value: str) -> date:
    """The Monday of an ISO week written as "2026-W49"; ValueError otherwise."""
    match = WEEK_RE.match(value or "")
    if not match:
        raise ValueError(value)
    return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


class Leader(models.Model):
    name = models.CharField("họ và tên", max_length=120)
    title = models.CharField("chức vụ", max_length=200, blank=True)
    slug = models.SlugField("đường dẫn", max_length=140, unique=True, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    is_active = models.BooleanField("đang công tác", default=True)

    class Meta:
        verbose_name = "lãnh đạo"
        verbose_name_plural = "lãnh đạo"
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.name} - {self.title}" if self.title else self.name

    def get_absolute_url(self):
        return reverse("schedule:leader", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = vn_slugify(self.name, 130) or "lanh-dao"
        super().save(*args, **kwargs)


class WeekQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Week(models.Model):
    start = models.DateField(
        "tuần bắt đầu từ thứ Hai", unique=True,
        help_text="Ngày thứ Hai của tuần (một ngày khác được đổi về thứ Hai của tuần đó).",
    )  # fmt: skip
    note = models.CharField("ghi chú", max_length=300, blank=True)
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True, editable=False)

    objects = WeekQuerySet.as_manager()

    class Meta:
        verbose_name = "tuần công tác"
        verbose_name_plural = "lịch công tác theo tuần"
        ordering = ["-start"]
        get_latest_by = "start"

    def __str__(self):
        end = self.start + timedelta(days=6)
        return f"Tuần {self.start.isocalendar()[1]}/{self.start.isocalendar()[0]} ({self.start:%d/%m} - {end:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("schedule:week") + f"?tuan={self.label}"

    @property
    def label(self) -> str:
        return week_label(self.start)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def save(self, *args, **kwargs):
        self.start = monday_of(self.start)
        super().save(*args, **kwargs)


class Entry(models.Model):
    week = models.ForeignKey(Week, verbose_name="tuần", on_delete=models.CASCADE,
                             related_name="entries")  # fmt: skip
    leader = models.ForeignKey(
        Leader, verbose_name="lãnh đạo", on_delete=models.PROTECT, null=True, blank=True,
        related_name="entries", help_text="Để trống nếu là lịch chung của cơ quan.",
    )  # fmt: skip
    day = models.DateField("ngày")
    start = models.TimeField("giờ bắt đầu")
    end = models.TimeField("giờ kết thúc", null=True, blank=True)
    content = models.TextField("nội dung", max_length=2000)
    place = models.CharField("địa điểm", max_length=300, blank=True)
    attendees = models.CharField("thành phần", max_length=500, blank=True)
    preparer = models.CharField("chuẩn bị", max_length=300, blank=True)
    # Set when the entry is added or changed after its week was published.
    adjusted = models.BooleanField("đã điều chỉnh", default=False, editable=False)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "lịch"
        verbose_name_plural = "lịch"
        ordering = ["day", "start", "id"]
        indexes = [
            # A leader's calendar feed: their entries by day.
            models.Index(fields=["leader", "day"], name="schedule_entry_leader_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="schedule_entry_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.start:%H:%M}: {self.content[:60]}"

    def get_absolute_url(self):
        return self.week.get_absolute_url()

    def clean(self):
        if self.week_id and self.day:
            start = self.week.start
            if not start <= self.day <= start + timedelta(days=6):
                raise ValidationError(
                    {"day": f"Ngày phải nằm trong tuần {start:%d/%m} - "
                            f"{start + timedelta(days=6):%d/%m/%Y}."}
                )  # fmt: skip
        if self.end and self.start and self.end <= self.start:
            raise ValidationError({"end": "Giờ kết thúc phải sau giờ bắt đầu."})

    def save(self, *args, **kwargs):
        if self.week.is_published:
            self.adjusted = True
        super().save(*args, **kwargs)

    @property
    def starts(self):
        return timezone.make_aware(
            timezone.datetime.combine(self.day, self.start), timezone.get_default_timezone()
        )
