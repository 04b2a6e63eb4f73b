"""Contact messages ("Liên hệ"), the departments that receive them, the mail they cause,
and the questions published with their answers ("Hỏi đáp").

A message is saved before any mail is sent: each mail is an OutgoingMail row (pending,
sent or failed, with its last error), sent after the message's transaction commits and
retried by `manage.py send_contact_mail`, so nothing a reader wrote is lost when the mail
server is down, and staff see the failures in the admin.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from portal.text import vn_slugify


def split_addresses(value: str) -> list[str]:
    return [a.strip() for a in value.replace(";", ",").replace("\n", ",").split(",") if a.strip()]


def validate_addresses(value: str) -> None:
    addresses = split_addresses(value)
    if not addresses:
        raise ValidationError("Cần ít nhất một địa chỉ email nhận thư.")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(f"Địa chỉ email không hợp lệ: {address}") from None


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Department(models.Model):
    name = models.CharField("tên bộ phận", max_length=150)
    slug = models.SlugField("đường dẫn", max_length=160, unique=True, blank=True)
    recipients = models.TextField(
        "email nhận thư", validators=[validate_addresses],
        help_text="Một hoặc nhiều địa chỉ, cách nhau bằng dấu phẩy hoặc xuống dòng.",
    )  # fmt: skip
    description = models.CharField("mô tả", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    is_active = models.BooleanField("nhận thư", default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "bộ phận nhận thư"
        verbose_name_plural = "bộ phận nhận thư"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contact:questions") + f"?linh-vuc={self.slug}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = vn_slugify(self.name, 150) or "bo-phan"
        super().save(*args, **kwargs)

    @property
    def recipient_list(self) -> list[str]:
        return split_addresses(self.recipients)


QUESTION_SEARCH_SQL = (
    "setweight(to_tsvector('simple'::regconfig, portal_unaccent(coalesce(subject, ''))), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, portal_unaccent(coalesce(body, ''))), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, portal_unaccent(coalesce(answer, ''))), 'C')"
)


class MessageQuerySet(models.QuerySet):
    def published(self):
        """The questions shown on "Hỏi đáp": answered and chosen for publishing."""
        return self.filter(is_published=True, status=Message.Status.ANSWERED)

    def search(self, query: str):
        """Accent-insensitive full-text search (as news articles: portal_unaccent)."""
        tsquery = "websearch_to_tsquery('simple'::regconfig, portal_unaccent(%s))"
        return self.alias(
            match=RawSQL(f"search_vector @@ {tsquery}", [query], models.BooleanField())
        ).filter(match=True)


class Message(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "Mới"
        HANDLING = "handling", "Đang xử lý"
        ANSWERED = "answered", "Đã trả lời"

    department = models.ForeignKey(
        Department, verbose_name="bộ phận", on_delete=models.PROTECT, related_name="messages"
    )
    name = models.CharField("họ và tên", max_length=100)
    email = models.EmailField("email", max_length=254, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    subject = models.CharField("tiêu đề", max_length=200)
    body = models.TextField("nội dung")
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người xử lý", on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    answer = models.TextField(
        "trả lời", blank=True,
        help_text="Khi lưu, câu trả lời được gửi đến email của người hỏi (nếu có).",
    )  # fmt: skip
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người trả lời", on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )  # fmt: skip
    is_published = models.BooleanField(
        "đăng lên Hỏi đáp", default=False,
        help_text="Câu hỏi và câu trả lời hiện trên trang Hỏi đáp (không kèm email, điện thoại).",
    )  # fmt: skip
    # Readers' views of the published question; written only by stats.counting.
    view_count = models.PositiveIntegerField("lượt xem", default=0, editable=False)
    # The daily anonymous reader id (stats.readers), for the sending limits only.
    reader = models.BinaryField("người gửi (ẩn danh)", max_length=16, null=True, editable=False)
    created_at = models.DateTimeField("gửi lúc", default=timezone.now, editable=False)
    search_vector = models.GeneratedField(
        expression=RawSQL(QUESTION_SEARCH_SQL, []),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "thư liên hệ"
        verbose_name_plural = "thư liên hệ"
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        indexes = [
            # Admin inbox: by status, newest first.
            models.Index(fields=["status", "-created_at"], name="contact_message_status_idx"),
            # "Hỏi đáp": the published questions, newest answer first.
            models.Index(
                fields=["-answered_at"],
                name="contact_message_public_idx",
                condition=Q(is_published=True, status="answered"),
            ),
            # "Hỏi đáp" search: the full-text vector.
            GinIndex(fields=["search_vector"], name="contact_message_search_idx"),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("contact:question", kwargs={"pk": self.pk})


class OutgoingMail(models.Model):
    class Kind(models.TextChoices):
        NOTICE = "notice", "Báo cho bộ phận"
        ANSWER = "answer", "Trả lời người hỏi"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Gửi lỗi"

    message = models.ForeignKey(
        Message, verbose_name="thư liên hệ", on_delete=models.CASCADE, related_name="mails"
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    to = models.TextField("gửi đến")
    subject = models.CharField("tiêu đề", max_length=250)
    body = models.TextField("nội dung")
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thư gửi đi"
        verbose_name_plural = "thư gửi đi"
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        indexes = [
            # send_contact_mail: the mails still to send, oldest first.
            models.Index(
                fields=["created_at"], name="contact_mail_unsent_idx", condition=~Q(status="sent")
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"

    def get_absolute_url(self):
        return reverse("admin:contact_message_change", args=[self.message_id])
