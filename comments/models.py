"""Reader comments (held for moderation), blocked words, and article ratings.

Counters readers change are written only by comments.services, in atomic statements:
news.Article.comment_count (approved comments) and RatingTotal (points and votes).
No raw IP address is stored: `reader` is stats.readers.reader_id, a daily-salted HMAC.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from news.models import Article


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def waiting(self):
        return self.filter(status=Comment.Status.PENDING)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def public(self):
        """What a reader may see: approved, and not under a comment that is not."""
        return self.approved().filter(Q(parent__isnull=True) | Q(parent__status="approved"))

    def for_display(self):
        """The columns a page shows; the email is never read for a public page."""
        return self.only("id", "article_id", "parent_id", "name", "body", "by_staff", "created_at")

    def on_article(self, article):
        """An article's approved top-level comments, oldest first (the page lists them)."""
        return self.filter(article=article).approved().top_level().order_by("created_at", "id")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Chờ duyệt"
        APPROVED = "approved", "Đã duyệt"
        REJECTED = "rejected", "Bị từ chối"
        SPAM = "spam", "Thư rác"

    article = models.ForeignKey(
        Article, verbose_name="bài viết", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", verbose_name="trả lời cho", on_delete=models.CASCADE, null=True, blank=True,
        related_name="replies", help_text="Chỉ một cấp: trả lời luôn gắn với bình luận gốc.",
    )  # fmt: skip
    name = models.CharField("họ và tên", max_length=80)
    email = models.EmailField("email", max_length=254, help_text="Không bao giờ hiện công khai.")
    body = models.TextField("nội dung", max_length=2000)
    status = models.CharField(
        "trạng thái", max_length=12, choices=Status.choices, default=Status.PENDING
    )
    by_staff = models.BooleanField("ban biên tập trả lời", default=False, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="tài khoản", on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )  # fmt: skip
    # The daily anonymous reader id (stats.readers), for the posting limits only.
    reader = models.BinaryField("người đọc (ẩn danh)", max_length=16, null=True, editable=False)
    # The daily anonymous id of the address alone (stats.readers.address_id), for the limit
    # that a new user agent does not reset.
    address = models.BinaryField("địa chỉ (ẩn danh)", max_length=16, null=True, editable=False)
    created_at = models.DateTimeField("gửi lúc", default=timezone.now, editable=False)
    moderated_at = models.DateTimeField("duyệt lúc", null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người duyệt", on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )  # fmt: skip

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = "bình luận"
        verbose_name_plural = "bình luận"
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        indexes = [
            # Article page: an article's approved top-level comments, oldest first.
            models.Index(
                fields=["article", "created_at"],
                name="comments_public_idx",
                condition=Q(status="approved", parent__isnull=True),
            ),
            # Admin list and index: the waiting comments, newest first, and their count.
            models.Index(
                fields=["-created_at"], name="comments_waiting_idx", condition=Q(status="pending")
            ),
            # Posting limits: a reader's comments of the last minutes.
            models.Index(
                fields=["reader", "-created_at"],
                name="comments_reader_idx",
                condition=Q(reader__isnull=False),
            ),
            # Admin list filtered by status, newest first.
            models.Index(fields=["status", "-created_at"], name="comments_status_idx"),
            # Posting limits: an address's comments of the last hour.
            models.Index(
                fields=["address", "-created_at"],
                name="comments_address_idx",
                condition=Q(address__isnull=False),
            ),
        ]

    def __str__(self):
        text = " ".join(self.body.split())
        return f"{self.name}: {text[:60]}{'…' if len(text) > 60 else ''}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#binh-luan-{self.pk}"


class BlockedWord(models.Model):
    """A word or phrase that makes a reader's comment be refused."""

    word = models.CharField(
        "từ hoặc cụm từ", max_length=100, unique=True,
        help_text="Không phân biệt chữ hoa, chữ thường; khớp nguyên từ, không khớp một phần của từ.",
    )  # fmt: skip
    note = models.CharField("ghi chú", max_length=200, blank=True)
    created_at = models.DateTimeField("thêm lúc", auto_now_add=True)

    class Meta:
        verbose_name = "từ bị chặn"
        verbose_name_plural = "từ bị chặn"
        ordering = ["word"]

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):
        self.word = " ".join(self.word.split()).lower()
        super().save(*args, **kwargs)


class Rating(models.Model):
    """One reader's 1-5 stars for one article.

    A vote is refused when either key has voted on the article before:
    - `voter`: a random id in a long-lived signed cookie set on the first vote. It stops a
      reload, a second tab, a replayed POST and a vote on another day from the same browser;
    - `reader`: the daily anonymous reader id (address + user agent). It stops the same
      browser from voting again the same day after clearing its cookies.
    The trade-off: someone who clears cookies can vote again on a later day, and two people
    behind one address with the same browser build can only vote once per article per day.
    """

    article = models.ForeignKey(
        Article, verbose_name="bài viết", on_delete=models.CASCADE, related_name="ratings"
    )
    stars = models.PositiveSmallIntegerField("số sao")
    voter = models.BinaryField("mã trình duyệt", max_length=16)
    reader = models.BinaryField("người đọc trong ngày (ẩn danh)", max_length=16)
    # The daily anonymous id of the address alone (stats.readers.address_id): at most
    # RATING_ADDRESS_LIMIT votes per article and address and day, whatever the user agent.
    address = models.BinaryField("địa chỉ trong ngày (ẩn danh)", max_length=16, null=True)
    created_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "đánh giá"
        verbose_name_plural = "đánh giá"
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        constraints = [
            # The duplicate-vote guards (see the class docstring); the vote INSERT's
            # ON CONFLICT DO NOTHING relies on them.
            models.UniqueConstraint(fields=["article", "voter"], name="comments_rating_voter"),
            models.UniqueConstraint(fields=["article", "reader"], name="comments_rating_reader"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="comments_rating_stars_1_5"
            ),
        ]
        indexes = [
            # The vote's address limit: an article's votes from one address today.
            models.Index(
                fields=["article", "address"],
                name="comments_rating_address",
                condition=Q(address__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.article_id}: {self.stars} sao"


class RatingTotal(models.Model):
    """The running sum of an article's ratings: one upserted row per rated article."""

    article = models.OneToOneField(
        Article, verbose_name="bài viết", on_delete=models.CASCADE, primary_key=True,
        related_name="rating_total",
    )  # fmt: skip
    votes = models.PositiveIntegerField("số đánh giá", default=0)
    points = models.PositiveBigIntegerField("tổng số điểm", default=0)

    class Meta:
        verbose_name = "tổng đánh giá"
        verbose_name_plural = "tổng đánh giá"

    def __str__(self):
        return f"{self.points} trong {self.votes} đánh giá"

    @property
    def average(self) -> float:
        return self.points / self.votes if self.votes else 0.0
