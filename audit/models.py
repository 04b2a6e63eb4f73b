"""The audit log ("Nhật ký hệ thống"): who did what, to which object, when, from where.

Entries are only ever added (audit.services.record); the admin shows them read-only and
the archive command moves old ones out to a file. "From where" is the daily reader id of
stats.readers (an HMAC of address and user agent with a salt that lives one day), never
the address itself: two entries of one day from one client can be matched, nothing more.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def older_than(self, moment):
        return self.filter(at__lt=moment)


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", "Đăng nhập"
        LOGIN_FAILED = "login_failed", "Đăng nhập sai"
        LOGOUT = "logout", "Đăng xuất"
        LOCKOUT = "lockout", "Khóa đăng nhập"
        TWO_FACTOR_FAILED = "2fa_failed", "Mã xác thực sai"
        TWO_FACTOR_ENROLLED = "2fa_enrolled", "Bật xác thực hai bước"
        TWO_FACTOR_RESET = "2fa_reset", "Gỡ xác thực hai bước"
        ADD = "add", "Thêm"
        CHANGE = "change", "Sửa"
        PUBLISH = "publish", "Xuất bản"
        HIDE = "hide", "Ẩn"
        DELETE = "delete", "Xóa"
        RESTORE = "restore", "Khôi phục phiên bản"
        LOCK_TAKEOVER = "lock_takeover", "Tiếp quản quyền sửa"
        PERMISSIONS = "permissions", "Đổi quyền hoặc nhóm"
        SETTINGS = "settings", "Đổi cấu hình"
        EXPORT = "export", "Xuất dữ liệu"
        IMPORT = "import", "Chạy nhập dữ liệu"

    at = models.DateTimeField("lúc", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người làm", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    # Kept as text too: the entry still names the person after the account is deleted,
    # and a failed login names the user name that was typed.
    username = models.CharField("tên đăng nhập", max_length=150, blank=True)
    action = models.CharField("việc", max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name="loại đối tượng", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    object_repr = models.CharField("đối tượng", max_length=300, blank=True)
    detail = models.TextField("chi tiết", blank=True)
    client = models.CharField(
        "máy (mã ẩn danh trong ngày)", max_length=32, blank=True,
        help_text="Mã băm theo ngày của địa chỉ và trình duyệt, không phải địa chỉ IP.",
    )  # fmt: skip

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "mục nhật ký"
        verbose_name_plural = "nhật ký hệ thống"
        ordering = ["-at", "-pk"]
        get_latest_by = "at"
        indexes = [
            # The admin's filter by person, newest first.
            models.Index(fields=["user", "-at"], name="audit_user_at"),
            # The admin's filter by action, newest first.
            models.Index(fields=["action", "-at"], name="audit_action_at"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} — {self.username or 'hệ thống'}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("admin:audit_auditentry_change", args=[self.pk])
