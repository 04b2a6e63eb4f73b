from django import forms
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from audit.models import AuditEntry
from audit.services import audit_record
from documents import blocks, files, services
from documents.models import (
    Document,
    DocumentFile,
    DocumentType,
    ExaminingBody,
    IssuingBody,
    Signer,
    Topic,
)
from history.admin import HistoryAdminMixin
from history.services import RestoreRefusedError
from locks.admin import EditLockAdminMixin
from portal.admin_mixins import CascadeDeleteMixin, VisibleRelationsMixin
from portal.exports import ExportMixin, SlugLinks
from portal.exports import Field as ExportField


def can_publish(user) -> bool:
    return user.has_perm("documents.publish_document")


def can_edit_any(user) -> bool:
    return user.has_perm("documents.edit_any_document")


def audit_status(request, documents, status) -> None:
    """Publishing and taking back to draft go to the audit log (one entry per document)."""
    action = (
        AuditEntry.Action.PUBLISH if status == Document.Status.PUBLISHED else AuditEntry.Action.HIDE
    )
    for document in documents:
        audit_record(action=action, request=request, obj=document)


class _StoredFileLink:
    """What the file widget shows for the stored file: its original name, linked to the
    download view (the storage has no public URL)."""

    def __init__(self, url: str, text: str):
        self.url, self.text = url, text

    def __str__(self):
        return self.text


class StoredFileInput(forms.ClearableFileInput):
    clear_checkbox_label = "Xóa"
    initial_text = "Hiện tại"
    input_text = "Thay bằng tệp khác"
    link: _StoredFileLink | None = None

    def is_initial(self, value):
        # The stored file has no URL (ClearableFileInput asks for one); its name suffices.
        return bool(value and getattr(value, "name", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.link is not None:
            context["widget"]["value"] = self.link
        return context


class DocumentFileForm(forms.ModelForm):
    class Meta:
        model = DocumentFile
        fields = ["file", "url", "title", "order"]
        widgets = {"file": StoredFileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.file and "file" in self.fields:
            self.fields["file"].widget.link = _StoredFileLink(
                instance.get_absolute_url(), instance.original_name
            )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "content_type"):  # a new upload, not the stored one
            files.check_upload(uploaded)
        return uploaded


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    form = DocumentFileForm
    extra = 1
    fields = ["file", "url", "title", "order", "kind", "size", "download_count", "uploaded_at"]
    readonly_fields = ["file_link", "kind", "size", "download_count", "uploaded_at"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        parent_admin = self.admin_site._registry[self.parent_model]
        if obj is not None and not parent_admin.has_change_permission(request, obj):
            # Shown read-only (a reporter opening a published document): the admin would
            # link the stored file by its URL, which it has not (documents.storage).
            return ["file_link" if name == "file" else name for name in fields]
        return fields

    @admin.display(description="tệp")
    def file_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


class DocumentAdminForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "code", "title", "slug", "body", "note", "doc_type", "issuer", "examiner", "signer",
            "topics", "issued_on", "effective_on", "expires_on", "related", "replaces", "status",
        ]  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and not can_publish(user) and "status" in self.fields:
            self.fields["status"].choices = [(Document.Status.DRAFT, "Bản nháp")]
            self.fields["status"].help_text = "Phóng viên lưu nháp; biên tập viên xuất bản."

    def clean_status(self):
        status = self.cleaned_data["status"]
        # The server-side guard: a reporter cannot publish, by any form, crafted or not.
        if self.user is not None and not can_publish(self.user) and status != Document.Status.DRAFT:
            raise forms.ValidationError("Bạn không có quyền xuất bản văn bản.")
        return status

    def clean_code(self):
        return " ".join(self.cleaned_data["code"].split())

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            for name in ("related", "replaces"):
                if any(d.pk == self.instance.pk for d in cleaned.get(name) or []):
                    self.add_error(name, "Văn bản không thể liên quan hoặc thay thế chính nó.")
        return cleaned


class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register(DocumentType, TermAdmin)
admin.site.register(IssuingBody, TermAdmin)
admin.site.register(ExaminingBody, TermAdmin)
admin.site.register(Topic, TermAdmin)


@admin.register(Signer)
class SignerAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "order"]
    list_editable = ["order"]
    search_fields = ["name", "position"]


@admin.register(Document)
class DocumentAdmin(
    EditLockAdminMixin,
    HistoryAdminMixin,
    VisibleRelationsMixin,
    CascadeDeleteMixin,
    ExportMixin,
    admin.ModelAdmin,
):
    # "Xuất XLSX" / "Xuất CSV" of the filtered list (staff with reports.view_reports).
    export_fields = [
        "code", "title", ExportField("doc_type__name", "Loại văn bản"),
        ExportField("issuer__name", "Cơ quan ban hành"), "issued_on", "effective_on",
        "expires_on", "status", ExportField("view_count", total=True),
        ExportField("download_count", total=True),
        ExportField("slug", "Liên kết", width=50, transform=SlugLinks("documents:detail")),
    ]  # fmt: skip
    form = DocumentAdminForm
    inlines = [DocumentFileInline]
    # A version of a document carries its files' metadata (the files themselves are not
    # copied: restoring puts back the document's fields, the diff shows the files').
    history_follow = ("files",)
    history_follow_models = (
        (DocumentFile, ["document", "file", "title", "original_name", "kind", "size", "order"]),
    )
    history_text_fields = ("code", "title", "body")
    history_html_fields = ()
    list_display = [
        "code", "title_short", "doc_type", "issuer", "issued_on", "views",
        "downloads", "status_badge", "view_link",
    ]  # fmt: skip
    list_display_links = ["code", "title_short"]
    list_filter = ["status", "doc_type", "issuer", "topics", "signer", "issued_on"]
    list_select_related = ["doc_type", "issuer"]
    search_fields = ["code", "title"]
    date_hierarchy = "issued_on"
    # No prepopulated slug: the admin's JavaScript would drop "/" and mishandle "đ"; an
    # empty slug is made on save by the one server-side rule (Document._unique_slug).
    autocomplete_fields = ["signer", "related", "replaces"]
    filter_horizontal = ["topics"]
    readonly_fields = ["views", "downloads", "created_by", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["code", "title", "slug", "body", "note"]}),
        ("Phân loại", {"fields": ["doc_type", "issuer", "examiner", "signer", "topics"]}),
        ("Ngày tháng", {"fields": ["issued_on", "effective_on", "expires_on"]}),
        ("Liên kết", {"fields": ["related", "replaces"]}),
        ("Xuất bản", {"fields": ["status"]}),
        ("Thông tin", {"fields": ["views", "downloads", "created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]  # fmt: skip

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
            # Reporters see their own drafts and every published document (to link them).
            qs = qs.filter(Q(created_by=request.user) | Q(status=Document.Status.PUBLISHED))
        return qs

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_edit_any(request.user):
            return True
        return obj.created_by_id == request.user.pk and obj.status == Document.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def history_check_restore(self, request, obj, values):
        if not can_publish(request.user) and values.get("status") != Document.Status.DRAFT:
            raise RestoreRefusedError(
                "Phóng viên không được khôi phục một phiên bản đã xuất bản: "
                "chỉ biên tập viên mới xuất bản văn bản."
            )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if not can_publish(request.user) and obj.status != Document.Status.DRAFT:
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data and (change or obj.status != Document.Status.DRAFT):
            audit_status(request, [obj], obj.status)

    def save_formset(self, request, form, formset, change):
        # A file replaced in place keeps its row (and its counts); the old stored file is
        # removed once the change is committed.
        replaced = [
            f.initial["file"].name
            for f in formset.forms
            if f.instance.pk and "file" in f.changed_data and f.initial.get("file")
        ]
        super().save_formset(request, form, formset, change)
        services.stored_files_discard(names=replaced)

    @admin.display(description="trích yếu", ordering="title")
    def title_short(self, obj):
        return obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"

    @admin.display(description="lượt xem", ordering="view_count")
    def views(self, obj):
        return intcomma(obj.view_count)

    @admin.display(description="lượt tải", ordering="download_count")
    def downloads(self, obj):
        return intcomma(obj.download_count)

    @admin.display(description="trạng thái", ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="status status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description="xem")
    def view_link(self, obj):
        url = reverse("documents:detail", kwargs={"slug": obj.slug})
        text = "Xem" if obj.is_public else "Xem trước"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, text)

    @admin.action(description="Xuất bản các văn bản đã chọn", permissions=["publish"])
    def publish(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        targets = list(
            queryset.exclude(status=Document.Status.PUBLISHED)
            .select_related(None)
            .only("pk", "title")
        )
        n = queryset.filter(pk__in=[d.pk for d in targets]).update(status=Document.Status.PUBLISHED)
        audit_status(request, targets, Document.Status.PUBLISHED)
        self.message_user(request, f"Đã xuất bản {n} văn bản.", messages.SUCCESS)
        blocks.invalidate_documents()

    @admin.action(description="Gỡ các văn bản đã chọn về bản nháp", permissions=["publish"])
    def unpublish(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        targets = list(
            queryset.filter(status=Document.Status.PUBLISHED)
            .select_related(None)
            .only("pk", "title")
        )
        n = queryset.filter(pk__in=[d.pk for d in targets]).update(status=Document.Status.DRAFT)
        audit_status(request, targets, Document.Status.DRAFT)
        self.message_user(request, f"Đã gỡ {n} văn bản về bản nháp.", messages.SUCCESS)
        blocks.invalidate_documents()
