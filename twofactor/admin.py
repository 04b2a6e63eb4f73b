from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.shortcuts import redirect
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from twofactor.models import TwoFactorPolicy
from twofactor.services import two_factor_reset

# django-otp's own device pages show the secrets' raw fields (key, drift, throttling) under
# English headings it does not translate, and deleting a device there leaves no audit entry.
# Staff reset a lost phone from the user list instead (the action below), or with
# `manage.py reset_two_factor`.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = ["reset_two_factor"]

    @admin.action(description="Đặt lại xác thực hai bước (mất điện thoại)", permissions=["change"])
    def reset_two_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            two_factor_reset(user=user, request=request, reason="đặt lại trong trang quản trị")
        names = ", ".join(u.get_username() for u in users)
        self.message_user(
            request,
            f"Đã đặt lại xác thực hai bước cho {names}: lần đăng nhập tới chỉ hỏi mật khẩu, "
            "rồi mời cài lại ứng dụng nếu nhóm của họ bắt buộc.",
        )


@admin.register(TwoFactorPolicy)
class TwoFactorPolicyAdmin(admin.ModelAdmin):
    """One record, like the site settings: the list opens it."""

    filter_horizontal = ["required_groups"]
    readonly_fields = ["updated_at"]

    # No "exists?" query here (the admin menu asks every page): the list opens the record
    # when there is one, and saving always writes record 1.

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        policy = TwoFactorPolicy.objects.filter(pk=1).first()
        if policy is not None:
            return redirect("admin:twofactor_twofactorpolicy_change", policy.pk)
        return redirect("admin:twofactor_twofactorpolicy_add")

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        super().save_model(request, obj, form, change)
