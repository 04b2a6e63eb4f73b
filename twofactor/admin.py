from django.contrib import admin
from django.shortcuts import redirect

from twofactor.models import TwoFactorPolicy


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
