from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from banners import blocks, clickthrough, services
from banners.forms import BannerAdminForm, ReportPeriodForm
from banners.models import Banner, BannerPosition
from history.admin import HistoryAdminMixin


@admin.register(BannerPosition)
class BannerPositionAdmin(admin.ModelAdmin):
    list_display = ["key", "heading", "mode"]
    list_editable = ["heading", "mode"]
    list_display_links = ["key"]

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj else []

    def has_add_permission(self, request):
        existing = set(BannerPosition.objects.values_list("key", flat=True))
        missing = set(BannerPosition.Key.values) - existing
        return super().has_add_permission(request) and bool(missing)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Banner)
class BannerAdmin(HistoryAdminMixin, admin.ModelAdmin):
    form = BannerAdminForm
    history_text_fields = ("title",)
    history_html_fields = ()
    list_display = [
        "title", "thumbnail", "position", "order", "is_active", "start_at", "end_at",
        "click_count", "target",
    ]  # fmt: skip
    list_editable = ["order", "is_active"]
    list_filter = ["position", "is_active"]
    list_select_related = ["position"]
    search_fields = ["title", "url"]
    date_hierarchy = "start_at"
    readonly_fields = ["click_count", "created_at", "updated_at"]
    actions = ["deactivate"]
    fieldsets = [
        (None, {"fields": ["title", "image", "url"]}),
        ("Vị trí và thời gian", {"fields": ["position", "order", "start_at", "end_at", "is_active"]}),
        ("Thống kê", {"fields": ["click_count", "created_at", "updated_at"]}),
    ]  # fmt: skip

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data or ("position" in form.changed_data and obj.image):
            services.banner_resize_image(banner=obj)

    def history_after_restore(self, request, obj):
        if obj.image:
            services.banner_resize_image(banner=obj)

    @admin.display(description="ảnh")
    def thumbnail(self, obj):
        if not obj.image:
            return "(chữ)"
        return format_html('<img src="{}" alt="">', obj.image.url)

    @admin.display(description="liên kết", ordering="url")
    def target(self, obj):
        return format_html(
            '<a href="{0}" rel="noopener noreferrer" target="_blank">{0}</a>', obj.url
        )

    @admin.action(description="Tắt các banner đã chọn", permissions=["change"])
    def deactivate(self, request, queryset):
        n = queryset.update(is_active=False)
        blocks.invalidate()  # update() sends no signal
        self.message_user(request, f"Đã tắt {n} banner.", messages.SUCCESS)

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [path("bao-cao/", report, name="banners_banner_report"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "report_url": reverse("admin:banners_banner_report"),
        }
        return super().changelist_view(request, extra_context)

    def report_view(self, request):
        """Impressions, clicks and click-through rate per banner for a period."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ReportPeriodForm(request.GET or None, initial=ReportPeriodForm.initial_period())
        period = ReportPeriodForm.initial_period()
        status = 200
        if form.is_bound:
            if form.is_valid():
                period = {"start": form.cleaned_data["start"], "end": form.cleaned_data["end"]}
            else:
                status = 400
        rows = clickthrough.banner_report(**period) if status == 200 else []
        total_imp = sum(r.impressions for r in rows)
        total_clk = sum(r.clicks for r in rows)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Báo cáo banner liên kết",
            "form": form,
            "period": period,
            "rows": rows,
            "total_impressions": total_imp,
            "total_clicks": total_clk,
            "total_ctr": round(100 * total_clk / total_imp, 2) if total_imp else None,
        }
        return TemplateResponse(request, "banners/banner_report.html", context, status=status)
