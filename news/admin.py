from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from news import images, services
from news.models import Article, BodyImage, Category, Tag


def can_publish(user) -> bool:
    return user.has_perm("news.publish_article")


def can_edit_any(user) -> bool:
    return user.has_perm("news.edit_any_article")


REPORTER_STATUSES = {Article.Status.DRAFT, Article.Status.PENDING}


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body", "image", "image_caption", "category",
            "extra_categories", "tags", "status", "publish_at", "featured", "allow_comments",
            "allow_rating", "author", "source_name", "source_url",
        ]  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and not can_publish(user) and "status" in self.fields:
            self.fields["status"].choices = [
                c for c in Article.Status.choices if c[0] in REPORTER_STATUSES
            ]
            self.fields[
                "status"
            ].help_text = "Phóng viên lưu nháp hoặc gửi duyệt; biên tập viên xuất bản."

    def clean_status(self):
        status = self.cleaned_data["status"]
        # The server-side guard: a reporter cannot publish or hide by any form, crafted or not.
        if self.user is not None and not can_publish(self.user) and status not in REPORTER_STATUSES:
            raise forms.ValidationError("Bạn không có quyền xuất bản hoặc ẩn bài viết.")
        return status

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            images.check_image(image)
        return image

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "order", "show_in_menu"]
    list_editable = ["order", "show_in_menu"]
    list_filter = ["show_in_menu", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Category.objects.top_level()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title", "status_badge", "category", "publish_at", "view_count", "featured", "preview_link",
    ]  # fmt: skip
    list_filter = ["status", "featured", "category", ("publish_at", admin.DateFieldListFilter)]
    list_select_related = ["category"]
    search_fields = ["title", "summary", "author"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    filter_horizontal = ["extra_categories"]
    readonly_fields = ["view_count", "created_by", "created_at", "updated_at"]
    actions = ["publish_now", "hide", "submit_for_review"]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Ảnh đại diện", {"fields": ["image", "image_caption"]}),
        ("Phân loại", {"fields": ["category", "extra_categories", "tags"]}),
        ("Xuất bản", {"fields": ["status", "publish_at", "featured", "allow_comments", "allow_rating"]}),
        ("Tác giả và nguồn", {"fields": ["author", "source_name", "source_url"]}),
        ("Thông tin", {"fields": ["view_count", "created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]  # fmt: skip

    class Media:
        js = ["js/body-image-upload.js"]
        css = {"all": ["css/admin-extra.css"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class RequestForm(form_class):
            def __init__(self, *args, **inner):
                inner.setdefault("user", request.user)
                super().__init__(*args, **inner)

        return RequestForm

    def get_queryset(self, request):
        qs = super().get_queryset(request).defer("body", "search_vector")
        if not can_edit_any(request.user):
            qs = qs.filter(created_by=request.user)
        return qs

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_edit_any(request.user):
            return True
        return obj.created_by_id == request.user.pk and obj.status in REPORTER_STATUSES

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None or can_edit_any(request.user):
            return True
        return obj.created_by_id == request.user.pk and obj.status == Article.Status.DRAFT

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_publish(request.user):
            actions.pop("publish_now", None)
            actions.pop("hide", None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if not can_publish(request.user) and obj.status not in REPORTER_STATUSES:
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data:
            services.article_make_renditions(article=obj)
        if obj.is_scheduled:
            self.message_user(
                request,
                f"Bài viết được hẹn xuất bản lúc {timezone.localtime(obj.publish_at):%H:%M %d/%m/%Y}.",
                messages.INFO,
            )

    @admin.display(description="trạng thái", ordering="status")
    def status_badge(self, obj):
        label = obj.get_status_display()
        if obj.is_scheduled:
            label = "Hẹn giờ"
        return format_html('<span class="status status-{}">{}</span>', obj.status, label)

    @admin.display(description="xem")
    def preview_link(self, obj):
        url = reverse("news:article", kwargs={"slug": obj.slug})
        text = "Xem" if obj.is_public else "Xem trước"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, text)

    @admin.action(description="Xuất bản các bài đã chọn", permissions=["publish"])
    def publish_now(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        n = queryset.exclude(status=Article.Status.PUBLISHED).update(
            status=Article.Status.PUBLISHED
        )
        self.message_user(request, f"Đã xuất bản {n} bài viết.", messages.SUCCESS)
        from news import blocks

        blocks.invalidate()

    @admin.action(description="Ẩn các bài đã chọn", permissions=["publish"])
    def hide(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        n = queryset.update(status=Article.Status.HIDDEN)
        self.message_user(request, f"Đã ẩn {n} bài viết.", messages.SUCCESS)
        from news import blocks

        blocks.invalidate()

    @admin.action(description="Gửi duyệt các bài nháp đã chọn", permissions=["change"])
    def submit_for_review(self, request, queryset):
        n = queryset.filter(status=Article.Status.DRAFT).update(status=Article.Status.PENDING)
        self.message_user(request, f"Đã gửi duyệt {n} bài viết.", messages.SUCCESS)


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "width", "height", "uploaded_by", "uploaded_at"]
    readonly_fields = ["image", "width", "height", "original_name", "uploaded_by", "uploaded_at"]
    date_hierarchy = "uploaded_at"

    def has_add_permission(self, request):
        return False
