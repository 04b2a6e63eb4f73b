from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.shortcuts import redirect
from django.urls import reverse

from stats.forms import BaselineForm
from stats.models import Baseline, DailyTraffic


@admin.register(DailyTraffic)
class DashboardAdmin(admin.ModelAdmin):
    """The admin index entry "Thống kê truy cập": opens the dashboard (stats.views)."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("stats.view_dashboard")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)  # the admin's 403
        return redirect(reverse("stats:dashboard"))


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    """Totals of the replaced site, so "Tổng lượt truy cập" goes on from where it was."""

    form = BaselineForm
    list_display = ["__str__", "visits_display", "page_views_display", "updated_at"]
    fields = ["visits", "page_views", "updated_at"]
    readonly_fields = ["updated_at"]

    @admin.display(description="lượt truy cập từ trang cũ")
    def visits_display(self, obj):
        return intcomma(obj.visits)

    @admin.display(description="lượt xem trang từ trang cũ")
    def page_views_display(self, obj):
        return intcomma(obj.page_views)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Baseline.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
