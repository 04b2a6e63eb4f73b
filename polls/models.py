"""Polls ("Thăm dò ý kiến"): a question with 2-10 answers, single or multiple choice.

One vote per reader is kept by the database, as the article rating does: a vote row is
unique per (poll, voter cookie) and per (poll, daily reader id), and the counters are
written only by polls.services in the vote's own transaction. No raw IP address is kept.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

from portal.text import vn_slugify

MIN_ANSWERS, MAX_ANSWERS = 2, 10


class PollQuerySet(models.QuerySet):
    def visible(self):
        """What a reader may open: shown, and opened already."""
        return self.filter(is_active=True, opens_at__lte=timezone.now())

    def next_change(self, now):
        """The next time a shown poll opens or closes, or None."""
        times = self.filter(is_active=True).aggregate(
            opens=Min("opens_at", filter=Q(opens_at__gt=now)),
            closes=Min("closes_at", filter=Q(closes_at__gt=now)),
        )
        return min((t for t in times.values() if t is not None), default=None)

    def open_now(self):
        now = timezone.now()
        return self.visible().filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))


class Poll(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Chọn một phương án"
        MULTIPLE = "multiple", "Chọn nhiều phương án"

    question = models.CharField("câu hỏi", max_length=300)
    slug = models.SlugField(
        "đường dẫn", max_length=120, unique=True, blank=True,
        help_text="Tự tạo từ câu hỏi nếu để trống; chữ không dấu.",
    )  # fmt: skip
    kind = models.CharField("cách chọn", max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    opens_at = models.DateTimeField(
        "bắt đầu", default=timezone.now, help_text="Bạn đọc thấy và bình chọn từ thời điểm này."
    )
    closes_at = models.DateTimeField(
        "kết thúc", null=True, blank=True,
        help_text="Sau thời điểm này không nhận bình chọn nữa; để trống nếu không hẹn ngày đóng.",
    )  # fmt: skip
    hide_results = models.BooleanField(
        "ẩn kết quả đến khi kết thúc", default=False,
        help_text="Bạn đọc chỉ thấy kết quả sau thời điểm kết thúc (cần đặt thời điểm kết thúc).",
    )  # fmt: skip
    is_active = models.BooleanField("hiện trên trang", default=True)
    # Readers who voted (one per vote row); written only by polls.services.
    voter_count = models.PositiveIntegerField("số người bình chọn", default=0, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = "cuộc thăm dò"
        verbose_name_plural = "thăm dò ý kiến"
        ordering = ["-opens_at", "-id"]
        get_latest_by = "opens_at"
        indexes = [
            # The poll list and the sidebar block: shown polls, newest first.
            models.Index(
                fields=["-opens_at"], name="polls_poll_active_idx", condition=Q(is_active=True)
            ),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("polls:detail", kwargs={"slug": self.slug})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now and (self.closes_at is None or self.closes_at > now)

    def is_closed(self, now=None) -> bool:
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())

    def results_visible(self, now=None) -> bool:
        return not self.hide_results or self.is_closed(now)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.closes_at and self.opens_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "Thời điểm kết thúc phải sau thời điểm bắt đầu."})
        if self.hide_results and not self.closes_at:
            raise ValidationError(
                {"hide_results": "Muốn ẩn kết quả đến khi kết thúc thì cần đặt thời điểm kết thúc."}
            )

    def save(self, *args, **kwargs):
        if not self.slug:
            base = vn_slugify(self.question, 100) or "tham-do"
            slug, n = base, 2
            while Poll.objects.exclude(pk=self.pk).filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)


class Answer(models.Model):
    poll = models.ForeignKey(
        Poll, verbose_name="cuộc thăm dò", on_delete=models.CASCADE, related_name="answers"
    )
    text = models.CharField("phương án", max_length=250)
    order = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    # Votes for this answer; written only by polls.services.
    votes = models.PositiveIntegerField("số phiếu", default=0, editable=False)

    class Meta:
        verbose_name = "phương án"
        verbose_name_plural = "kết quả thăm dò"
        ordering = ["poll", "order", "id"]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.poll.get_absolute_url()

    def percent(self, total: int) -> float:
        return 100.0 * self.votes / total if total else 0.0


class Vote(models.Model):
    """One reader's vote in one poll (the answers chosen).

    Refused when either key has voted in the poll before (the same two keys as
    comments.Rating): `voter`, a random id in a long-lived signed cookie, and `reader`, the
    daily anonymous reader id (address + user agent), so clearing cookies does not give a
    second vote the same day.
    """

    poll = models.ForeignKey(Poll, verbose_name="cuộc thăm dò", on_delete=models.CASCADE)
    answers = ArrayField(models.BigIntegerField(), verbose_name="phương án đã chọn")
    voter = models.BinaryField("mã trình duyệt", max_length=16)
    reader = models.BinaryField("người đọc trong ngày (ẩn danh)", max_length=16)
    created_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "phiếu bình chọn"
        verbose_name_plural = "phiếu bình chọn"
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        constraints = [
            # The duplicate-vote guards; the vote INSERT's ON CONFLICT DO NOTHING relies on them.
            models.UniqueConstraint(fields=["poll", "voter"], name="polls_vote_voter"),
            models.UniqueConstraint(fields=["poll", "reader"], name="polls_vote_reader"),
        ]

    def __str__(self):
        return f"{self.poll_id}: {self.answers}"

    def get_absolute_url(self):
        return self.poll.get_absolute_url()
