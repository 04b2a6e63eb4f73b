from django import forms
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from audit.models import AuditEntry
from audit.services import audit_record
from history.admin import HistoryAdminMixin
from history.services import RestoreRefusedError
from locks.admin import EditLockAdminMixin
from news import blocks, images, services
from news.models import Article, BodyImage, Category, Tag, Topic
from portal.admin_mixins import CascadeDeleteMixin, VisibleRelationsMixin
from portal.exports import ExportMixin, SlugLinks
from portal.exports import Field as ExportField
from portal.text import vn_slugify


def can_publish(user) -> bool:
    return user.has_perm("news.publish_article")


def can_edit_any(user) -> bool:
    return user.has_perm("news.edit_any_article")


REPORTER_STATUSES = {Article.Status.DRAFT, Article.Status.PENDING}
# Saved by the change form: everything but the counter, the creation stamps and the
# generated search vector.
EDITABLE_ON_CHANGE = [
    f.name
    for f in Article._meta.concrete_fields
    if not f.primary_key
    and not f.generated
    and f.name not in {"view_count", "created_by", "created_at"}
]

# Vietnamese write dates day first. Django's "vi" locale defines no input formats, so the
# defaults would apply: ISO first, then the US month/day order (05/03 read as 3 May).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y", "%Y-%m-%d"]
DATE_DISPLAY_FORMAT = "%d/%m/%Y"


class SlugFromNameForm(forms.ModelForm):
    """A blank slug is made from the name (đ -> d), checked for uniqueness like a typed one.

    The admin's prepopulated-slug script is not used: it turns "đ" into "dj".
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Để trống để tự tạo từ tên; chữ không dấu."

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("name"):
            max_length = self._meta.model._meta.get_field("slug").max_length
            cleaned["slug"] = vn_slugify(cleaned["name"], max_length)
            if not cleaned["slug"]:
                self.add_error("slug", "Không tạo được đường dẫn từ tên này; hãy nhập đường dẫn.")
        return cleaned


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body", "image", "image_caption", "category",
            "extra_categories", "tags", "topic", "status", "publish_at", "featured",
            "allow_comments", "allow_rating", "author", "source_name", "source_url",
            "external_link",
        ]  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "body" in self.fields:
            # Read by static/js/body-image-upload.js ("Chèn ảnh vào nội dung").
            self.fields["body"].widget.attrs["data-image-upload-url"] = reverse(
                "news:body-image-upload"
            )
        publish_at = self.fields.get("publish_at")
        if isinstance(publish_at, forms.SplitDateTimeField):
            publish_at.fields[0].input_formats = DATE_INPUT_FORMATS
            publish_at.widget.widgets[0].format = DATE_DISPLAY_FORMAT
        if "image" in self.fields:
            # Django has no Vietnamese text for this one.
            self.fields["image"].error_messages["invalid_extension"] = (
                "Chỉ nhận ảnh JPEG, PNG, GIF hoặc WebP (tệp .jpg, .png, .gif, .webp)."
            )
        if "status" in self.fields:
            # A status missing from the choices is what a crafted "publish" POST sends.
            self.fields["status"].error_messages["invalid_choice"] = (
                "Bạn không có quyền chọn trạng thái này."
            )
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
            ext = images.check_image(image)
            # The stored name (random, see upload_to) keeps the extension of the verified
            # format, never the one the uploader typed (a JPEG named .pdf is stored as .jpg);
            # the file is re-encoded without its metadata (a phone photo's GPS position).
            image = images.clean_upload(image, f"anh{ext}")
        return image

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


def audit_status(request, articles, status) -> None:
    """Publishing and hiding go to the audit log (one entry per article)."""
    action = {
        Article.Status.PUBLISHED: AuditEntry.Action.PUBLISH,
        Article.Status.HIDDEN: AuditEntry.Action.HIDE,
    }.get(status)
    if action is not None:
        for article in articles:
            audit_record(action=action, request=request, obj=article)


class CategoryListFilter(admin.RelatedFieldListFilter):
    """A category's name includes its parent's: fetch them together, not one query each."""

    def field_choices(self, field, request, model_admin):
        return [(c.pk, str(c)) for c in Category.objects.select_related("parent")]


def categories_with_parents():
    return Category.objects.in_tree_order()


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = SlugFromNameForm
    list_display = ["name", "parent", "order", "show_in_menu"]
    list_editable = ["order", "show_in_menu"]
    list_filter = ["show_in_menu", ("parent", CategoryListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Category.objects.top_level()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = SlugFromNameForm
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(
    EditLockAdminMixin,
    HistoryAdminMixin,
    VisibleRelationsMixin,
    CascadeDeleteMixin,
    ExportMixin,
    admin.ModelAdmin,
):
    # "Xuất XLSX" / "Xuất CSV" of the filtered list (staff with reports.view_reports).
    export_fields = [
        "title", ExportField("category__name", "Chuyên mục"), "author", "status", "publish_at",
        ExportField("view_count", total=True), ExportField("comment_count", total=True),
        "featured", ExportField("created_by__username", "Người tạo"),
        ExportField("slug", "Liên kết", width=50, transform=SlugLinks("news:article")),
    ]  # fmt: skip
    form = ArticleAdminForm
    list_display = [
        "title", "status_badge", "category", "publish_at", "views", "featured", "preview_link",
    ]  # fmt: skip
    list_filter = [
        "status",
        "featured",
        ("category", CategoryListFilter),
        ("publish_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["category", "category__parent"]
    search_fields = ["title", "summary", "author"]
    date_hierarchy = "publish_at"
    # No prepopulated slug (the admin script turns "đ" into "dj"): Article.save() makes a
    # unique one from the title when it is left blank.
    autocomplete_fields = ["tags"]
    filter_horizontal = ["extra_categories"]
    readonly_fields = ["views", "created_by", "created_at", "updated_at"]
    actions = ["publish_now", "hide", "submit_for_review"]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Ảnh đại diện", {"fields": ["image", "image_caption"]}),
        ("Phân loại", {"fields": ["category", "extra_categories", "tags", "topic"]}),
        ("Xuất bản", {"fields": ["status", "publish_at", "featured", "allow_comments", "allow_rating"]}),
        ("Tác giả và nguồn", {"fields": ["author", "source_name", "source_url", "external_link"]}),
        ("Thông tin", {"fields": ["views", "created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]  # fmt: skip

    class Media:
        js = ["js/body-image-upload.js"]
        css = {"all": ["css/admin-extra.css"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = categories_with_parents()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "extra_categories":
            kwargs["queryset"] = categories_with_parents()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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

    def history_check_restore(self, request, obj, values):
        # Restoring is saving: a reporter's restore may only give a draft or a pending
        # article, never a published or hidden one.
        if not can_publish(request.user) and values.get("status") not in REPORTER_STATUSES:
            raise RestoreRefusedError(
                "Phóng viên không được khôi phục một phiên bản đã xuất bản hoặc đã ẩn: "
                "chỉ biên tập viên mới xuất bản bài viết."
            )

    def history_after_restore(self, request, obj):
        if obj.image:
            services.article_make_renditions(article=obj)

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
        if change:
            # view_count moves under the form (stats flushes it): never write back the value
            # read when this request loaded the article.
            obj.save(update_fields=EDITABLE_ON_CHANGE)
        else:
            obj.save()
        if "status" in form.changed_data:
            audit_status(request, [obj], obj.status)
        if "image" in form.changed_data:
            services.article_make_renditions(article=obj)
        if obj.is_scheduled:
            self.message_user(
                request,
                f"Bài viết được hẹn xuất bản lúc {timezone.localtime(obj.publish_at):%H:%M %d/%m/%Y}.",
                messages.INFO,
            )

    @admin.display(description="lượt xem", ordering="view_count")
    def views(self, obj):
        return intcomma(obj.view_count)

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

    @admin.action(description="Xuất bản ngay các bài đã chọn", permissions=["publish"])
    def publish_now(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        now = timezone.now()
        not_public = queryset.exclude(status=Article.Status.PUBLISHED, publish_at__lte=now)
        targets = list(not_public.select_related(None).only("pk", "title"))
        # New and scheduled articles go out now, at the top of the lists (a draft's publish
        # time is when it was created); a hidden article comes back with its own date.
        n = not_public.filter(Q(status__in=REPORTER_STATUSES) | Q(publish_at__gt=now)).update(
            status=Article.Status.PUBLISHED, publish_at=now, updated_at=now
        )
        n += not_public.filter(status=Article.Status.HIDDEN).update(
            status=Article.Status.PUBLISHED, updated_at=now
        )
        audit_status(request, targets, Article.Status.PUBLISHED)
        self.message_user(request, f"Đã xuất bản {n} bài viết.", messages.SUCCESS)
        blocks.invalidate()

    @admin.action(description="Ẩn các bài đã chọn", permissions=["publish"])
    def hide(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        targets = list(
            queryset.exclude(status=Article.Status.HIDDEN).select_related(None).only("pk", "title")
        )
        n = queryset.filter(pk__in=[a.pk for a in targets]).update(
            status=Article.Status.HIDDEN, updated_at=timezone.now()
        )
        audit_status(request, targets, Article.Status.HIDDEN)
        self.message_user(request, f"Đã ẩn {n} bài viết.", messages.SUCCESS)
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


class TopicAdminForm(SlugFromNameForm):
    class Meta:
        model = Topic
        fields = ["title", "slug", "lead", "image", "starts_on", "ends_on", "is_active", "order"]

    def clean(self):
        # SlugFromNameForm reads "name"; a topic has a title.
        cleaned = forms.ModelForm.clean(self)
        if not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = vn_slugify(cleaned["title"], 255)
        return cleaned


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ["title", "starts_on", "ends_on", "is_active", "order"]
    list_editable = ["is_active", "order"]
    list_filter = ["is_active"]
    search_fields = ["title"]
