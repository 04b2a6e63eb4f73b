"""Which staff groups must use two-step login (TOTP). The devices themselves are
django-otp's (TOTPDevice for the authenticator app, StaticDevice for backup codes)."""

from django.contrib.auth.models import Group
from django.db import models


class TwoFactorPolicy(models.Model):
    """The one record: which groups must use two-step login. Empty by default, so a fresh
    site (and `make run`'s demo login) signs in with a password alone."""

    required_groups = models.ManyToManyField(
        Group, verbose_name="bắt buộc cho các nhóm", blank=True, related_name="+",
        help_text="Thành viên các nhóm này phải bật xác thực hai bước (ứng dụng tạo mã "
        "trên điện thoại) trước khi vào trang quản trị. Để trống: không bắt buộc ai.",
    )  # fmt: skip
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "quy định xác thực hai bước"
        verbose_name_plural = "quy định xác thực hai bước"
        get_latest_by = "updated_at"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="twofactor_policy_single"),
        ]

    def __str__(self):
        return "Quy định xác thực hai bước"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("admin:twofactor_twofactorpolicy_change", args=[self.pk])
