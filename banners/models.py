"""Banners and the positions on the page where they show.

Their clicks and impressions are kept by stats (stats_objectviews, per day and per month):
a click is counted once per reader (into Banner.click_count too), an impression is tallied
on every page view that shows the banner."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.uploads import random_upload_name
from portal.validators import PublicURLField

# The stats kinds of a banner.
CLICK = "banner_click"
IMPRESSION = "banner_impression"


def upload_to_banners(instance, filename):
    return random_upload_name("banners")(instance, filename)


class BannerPosition(models.Model):
    """A place on the page where banners show, and how they show there."""

    class Key(models.TextChoices):
        LINKS = "links", "Cột phải: Liên kết"
        QUICK = "quick", "Cột phải: Liên kết nhanh"
        HEADER = "header", "Dưới đầu trang"

    class Mode(models.TextChoices):
        ORDERED = "ordered", "Hiện tất cả theo thứ tự"
        SHUFFLED = "shuffled", "Hiện tất cả, xáo trộn mỗi lần xem"
        RANDOM_ONE = "random_one", "Hiện một banner ngẫu nhiên mỗi lần xem"

    key = models.CharField("vị trí", max_length=20, primary_key=True, choices=Key.choices)
    heading = models.CharField(
        "tiêu đề khối", max_length=100, blank=True, help_text="Để trống thì không hiện tiêu đề."
    )
    mode = models.CharField("cách hiện", max_length=12, choices=Mode.choices, default=Mode.ORDERED)

    class Meta:
        verbose_name = "vị trí banner"
        verbose_name_plural = "vị trí banner"
        ordering = ["key"]

    def __str__(self):
        return self.get_key_display()


class BannerQuerySet(models.QuerySet):
    def not_ended(self, now=None):
        """Active and not yet over: what the block cache holds (start is checked per view)."""
        now = now or timezone.now()
        return self.filter(is_active=True).filter(Q(end_at__isnull=True) | Q(end_at__gt=now))

    def live(self, now=None):
        """Shown to readers now, and so clickable."""
        now = now or timezone.now()
        return self.not_ended(now).filter(start_at__lte=now)


class Banner(models.Model):
    title = models.CharField(
        "tiêu đề", max_length=200,
        help_text="Hiện thay ảnh khi không có ảnh; cũng là văn bản thay thế (alt) của ảnh.",
    )  # fmt: skip
    image = models.ImageField(
        "ảnh", upload_to=upload_to_banners, blank=True, max_length=200,
        help_text="JPEG, PNG, GIF hoặc WebP, tối đa 5 MB; được thu nhỏ một lần khi lưu. Để trống để hiện dạng chữ.",
    )  # fmt: skip
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    url = PublicURLField(
        "địa chỉ liên kết", blank=True,
        help_text="Địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://. Để trống nếu banner chỉ là "
        "ảnh, không mở trang nào.",
    )  # fmt: skip
    position = models.ForeignKey(
        BannerPosition, verbose_name="vị trí", on_delete=models.PROTECT, related_name="banners"
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    start_at = models.DateTimeField(
        "hiện từ", default=timezone.now, help_text="Banner hiện với bạn đọc từ thời điểm này."
    )
    end_at = models.DateTimeField(
        "hiện đến", null=True, blank=True,
        help_text="Để trống nếu không hết hạn. Sau thời điểm này banner tự ẩn và liên kết không còn mở.",
    )  # fmt: skip
    is_active = models.BooleanField("đang bật", default=True)
    click_count = models.PositiveBigIntegerField("lượt bấm", default=0, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    objects = BannerQuerySet.as_manager()

    class Meta:
        verbose_name = "banner liên kết"
        verbose_name_plural = "banner liên kết"
        ordering = ["position", "order", "pk"]
        get_latest_by = "created_at"
        indexes = [
            # The block cache fill: active banners by position and order (not_ended()).
            models.Index(
                fields=["position", "order"],
                name="banners_banner_active_idx",
                condition=Q(is_active=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__isnull=True) | Q(end_at__gt=models.F("start_at")),
                name="banners_banner_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("banners:banner-click", args=[self.pk])

    def clean(self):
        if self.end_at and self.start_at and self.end_at <= self.start_at:
            raise ValidationError({"end_at": "Thời điểm kết thúc phải sau thời điểm bắt đầu."})
        if not self.url and not self.image:
            raise ValidationError({"url": "Banner không có ảnh cần có địa chỉ liên kết."})

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return (
            self.is_active and self.start_at <= now and (self.end_at is None or self.end_at > now)
        )
