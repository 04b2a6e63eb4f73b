"""Edit locks: "Bài viết đang được sửa bởi X từ HH:MM".

One row per object being edited. A lock is alive while it is renewed (the change form's
script pings the session keep-alive while the editor works); one not renewed for
EDIT_LOCK_IDLE_MINUTES is treated as free and replaced by the next editor who opens the
object. The row is deleted on save and when the editor leaves the page.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


def idle_limit() -> timedelta:
    return timedelta(minutes=settings.EDIT_LOCK_IDLE_MINUTES)


class EditLockQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(renewed_at__gte=timezone.now() - idle_limit())

    def of(self, obj):
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=ct, object_id=str(obj.pk))


class EditLock(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người sửa", on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    session_key = models.CharField(max_length=64, blank=True)
    since = models.DateTimeField("từ lúc", default=timezone.now)
    renewed_at = models.DateTimeField("gia hạn lúc", default=timezone.now)
    # Who held it before a takeover, told so on their next save.
    taken_from = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = EditLockQuerySet.as_manager()

    class Meta:
        verbose_name = "khóa sửa"
        verbose_name_plural = "khóa sửa"
        get_latest_by = "since"
        ordering = ["-since"]
        constraints = [
            # One holder per object: acquiring is an insert that may conflict.
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="locks_one_per_object"
            ),
        ]
        indexes = [
            # The keep-alive renews the locks of one user's session.
            models.Index(fields=["user", "session_key"], name="locks_user_session"),
        ]
        permissions = [("take_over_editlock", "Tiếp quản quyền sửa của người khác")]

    def __str__(self):
        return f"{self.holder_name} từ {timezone.localtime(self.since):%H:%M}"

    def get_absolute_url(self):
        return ""

    @property
    def holder_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_alive(self) -> bool:
        return self.renewed_at >= timezone.now() - idle_limit()
