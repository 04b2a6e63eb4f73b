from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html

from contact import services
from contact.models import Department, Message, OutgoingMail
from portal.admin_mixins import VisibleRelationsMixin
from portal.exports import ExportMixin
from portal.exports import Field as ExportField


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "recipients", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "recipients"]


class OutgoingMailInline(admin.TabularInline):
    model = OutgoingMail
    fields = ["kind", "to", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "thư đã gửi đi (lỗi được gửi lại tự động)"

    def has_add_permission(self, request, obj=None):
        return False


class MessageAdminForm(forms.ModelForm):
    class Meta:
        model = Message
        fields = ["status", "assigned_to", "answer", "is_published"]

    def clean(self):
        data = super().clean()
        if data.get("is_published") and not (data.get("answer") or "").strip():
            self.add_error("is_published", "Chỉ đăng lên Hỏi đáp khi đã có câu trả lời.")
        return data


class MailFailureFilter(admin.SimpleListFilter):
    title = "thư gửi đi"
    parameter_name = "thu-loi"

    def lookups(self, request, model_admin):
        return [("1", "Có thư gửi lỗi hoặc chưa gửi")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(unsent_mails__gt=0)
        return queryset


@admin.action(description="Gửi lại các thư chưa gửi được", permissions=["change"])
def resend_mail(modeladmin, request, queryset):
    ids = OutgoingMail.objects.filter(message__in=queryset).exclude(status="sent")
    sent, failed = services.mails_send(ids=list(ids.values_list("pk", flat=True)))
    level = messages.WARNING if failed else messages.SUCCESS
    modeladmin.message_user(request, f"Đã gửi {sent} thư, lỗi {failed} thư.", level)


@admin.register(Message)
class MessageAdmin(VisibleRelationsMixin, ExportMixin, admin.ModelAdmin):
    form = MessageAdminForm
    export_fields = [
        "created_at", ExportField("department__name", "Bộ phận"), "name", "email", "phone",
        "subject", ExportField("body", width=60), "status", "answered_at",
    ]  # fmt: skip
    list_display = ["subject", "name", "department", "status", "assigned_to", "created_at",
                    "mail_state", "is_published"]  # fmt: skip
    list_filter = ["status", "department", "is_published", MailFailureFilter,
                   ("assigned_to", admin.RelatedOnlyFieldListFilter)]  # fmt: skip
    list_select_related = ["department", "assigned_to"]
    search_fields = ["subject", "body", "name", "email", "phone"]
    date_hierarchy = "created_at"
    actions = [resend_mail]
    inlines = [OutgoingMailInline]
    readonly_fields = ["department", "name", "email", "phone", "subject", "body_text",
                       "created_at", "answered_at", "answered_by", "view_count"]  # fmt: skip
    fieldsets = [
        ("Thư của bạn đọc", {"fields": ["department", "name", "email", "phone", "subject",
                                        "body_text", "created_at"]}),
        ("Xử lý", {"fields": ["status", "assigned_to"]}),
        ("Trả lời", {"fields": ["answer", "is_published", "answered_at", "answered_by",
                                "view_count"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        unsent = Count("mails", filter=~Q(mails__status=OutgoingMail.Status.SENT))
        return super().get_queryset(request).annotate(unsent_mails=unsent)

    def has_add_permission(self, request):
        return False  # messages come from readers

    @admin.display(description="nội dung")
    def body_text(self, obj):
        return format_html('<div class="comment-body">{}</div>', obj.body)

    @admin.display(description="thư gửi đi", ordering="unsent_mails")
    def mail_state(self, obj):
        if obj.unsent_mails:
            return format_html('<strong class="errornote">{} thư chưa gửi được</strong>',
                               obj.unsent_mails)  # fmt: skip
        return "Đã gửi"

    def save_model(self, request, obj, form, change):
        answer = (form.cleaned_data.get("answer") or "").strip()
        if answer and "answer" in form.changed_data:
            services.message_answer(
                message=obj, answer=answer, user=request.user,
                publish=form.cleaned_data.get("is_published", False),
            )  # fmt: skip
            if obj.email:
                self.message_user(request, f"Câu trả lời đã được gửi đến {obj.email}.")
            return
        if obj.status == Message.Status.NEW and obj.assigned_to_id:
            obj.status = Message.Status.HANDLING
        super().save_model(request, obj, form, change)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "to", "status", "attempts", "last_error", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "to"]
    readonly_fields = ["message", "kind", "to", "subject", "body", "status", "attempts",
                       "last_error", "created_at", "sent_at"]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
