from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from history.admin import HistoryAdminMixin
from pages import services, site
from pages.forms import SiteSettingsForm
from pages.models import FreeBlock, MenuItem, Page, SiteSettings
from portal.admin_mixins import VisibleRelationsMixin


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One record: the list goes straight to it, and it cannot be added twice or deleted."""

    form = SiteSettingsForm
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["site_name", "slogan", "logo", "favicon"]}),
        ("Chân trang", {"fields": ["address", "phone", "email", "responsible", "licence", "footer_note"]}),
        ("Mạng xã hội", {"fields": ["facebook_url", "youtube_url", "zalo_url", "tiktok_url"]}),
        ("Bình luận và thống kê", {"fields": ["comment_moderation", "visits_offset", "pageviews_offset"]}),
        ("Thông tin", {"fields": ["updated_at"]}),
    ]  # fmt: skip

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        record = SiteSettings.objects.filter(pk=1).first()
        if record is not None:
            return redirect("admin:pages_sitesettings_change", record.pk)
        if self.has_add_permission(request):
            return redirect("admin:pages_sitesettings_add")
        raise PermissionDenied

    def save_model(self, request, obj, form, change):
        services.site_settings_save(
            record=obj,
            visits_offset=form.cleaned_data["visits_offset"],
            pageviews_offset=form.cleaned_data["pageviews_offset"],
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        defaults = site.defaults()
        initial.setdefault("site_name", defaults.site_name)
        initial.setdefault("slogan", defaults.slogan)
        return initial


@admin.register(Page)
class PageAdmin(HistoryAdminMixin, admin.ModelAdmin):
    history_text_fields = ("title",)
    list_display = ["title", "slug", "is_published", "show_in_footer", "order", "updated_at"]
    list_editable = ["is_published", "show_in_footer", "order"]
    list_filter = ["is_published", "show_in_footer"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "body", "is_published", "show_in_footer", "order"]

    class Media:
        css = {"all": ["css/admin-extra.css"]}


@admin.register(MenuItem)
class MenuItemAdmin(VisibleRelationsMixin, admin.ModelAdmin):
    list_display = ["__str__", "link", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent", "category", "page", "topic", "document"]
    autocomplete_fields = ["document"]
    fieldsets = [
        (None, {"fields": ["title", "parent", "order", "is_active"]}),
        ("Liên kết đến (chọn một)", {"fields": ["category", "page", "topic", "document", "url"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = MenuItem.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(FreeBlock)
class FreeBlockAdmin(admin.ModelAdmin):
    list_display = ["__str__", "position", "order", "is_active", "updated_at"]
    list_editable = ["order", "is_active"]
    list_filter = ["position", "is_active"]
    fields = ["title", "position", "body", "image", "image_alt", "link", "order", "is_active"]
