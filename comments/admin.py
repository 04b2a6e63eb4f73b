from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.text import Truncator

from comments import services, spam
from comments.models import BlockedWord, Comment, RatingTotal
from portal.exports import ExportMixin
from portal.exports import Field as ExportField

PENDING = Comment.Status.PENDING


class CommentAdminForm(forms.ModelForm):
    reply = forms.CharField(
        label="Trả lời của ban biên tập",
        required=False,
        max_length=2000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Đăng ngay dưới bình luận này, với tên của bạn và nhãn “Ban biên tập”.",
    )

    class Meta:
        model = Comment
        fields = ["status"]

    def clean_reply(self):
        reply = spam.clean_text(self.cleaned_data["reply"])
        if reply and len(reply) < 2:
            raise forms.ValidationError("Câu trả lời quá ngắn.")
        return reply


def _moderate(modeladmin, request, queryset, status, done):
    ids = list(queryset.values_list("pk", flat=True))
    changed = services.comments_moderate(comment_ids=ids, status=status, user=request.user)
    modeladmin.message_user(request, f"{done} {changed} bình luận.", messages.SUCCESS)


@admin.action(description="Duyệt (đăng) các bình luận đã chọn", permissions=["change"])
def approve(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, Comment.Status.APPROVED, "Đã duyệt")


@admin.action(description="Từ chối các bình luận đã chọn", permissions=["change"])
def reject(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, Comment.Status.REJECTED, "Đã từ chối")


@admin.action(description="Đánh dấu thư rác", permissions=["change"])
def mark_spam(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, Comment.Status.SPAM, "Đã đánh dấu thư rác")


@admin.register(Comment)
class CommentAdmin(ExportMixin, admin.ModelAdmin):
    # "Xuất XLSX" / "Xuất CSV" of the filtered list (staff with reports.view_reports; a
    # moderator without it sees no button). The reader's email is not exported.
    export_fields = [
        "created_at", "name", ExportField("body", width=60),
        ExportField("article__title", "Bài viết", width=50), "status", "by_staff",
        ExportField("moderated_by__username", "Người duyệt"), "moderated_at",
    ]  # fmt: skip
    form = CommentAdminForm
    list_display = ["excerpt", "name", "article_link", "status_label", "created_at", "reply_mark"]
    list_filter = ["status", ("article", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["article"]
    search_fields = ["body", "name", "email"]
    date_hierarchy = "created_at"
    # Newest waiting first, then everything else newest first.
    ordering = [
        Case(When(status=PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
        "-created_at",
    ]  # fmt: skip
    actions = [approve, reject, mark_spam, "delete_selected"]
    list_per_page = 50

    class Media:
        css = {"all": ["css/admin-extra.css"]}

    readonly_fields = [
        "article_link", "parent", "name", "email", "body_text", "created_at", "by_staff",
        "moderated_at", "moderated_by",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["article_link", "parent", "name", "email", "body_text", "created_at"]}),
        ("Kiểm duyệt", {"fields": ["status", "moderated_at", "moderated_by", "by_staff"]}),
        ("Trả lời", {"fields": ["reply"]}),
    ]

    @admin.display(description="nội dung")
    def excerpt(self, obj):
        return Truncator(" ".join(obj.body.split())).chars(90)

    @admin.display(description="nội dung")
    def body_text(self, obj):
        return format_html('<div class="comment-body">{}</div>', obj.body)

    @admin.display(description="bài viết", ordering="article__title")
    def article_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.get_absolute_url(),
            Truncator(obj.article.title).chars(60),
        )

    @admin.display(description="trạng thái", ordering="status")
    def status_label(self, obj):
        # Colours in css/admin-extra.css (the Content-Security-Policy allows no style="").
        return format_html(
            '<strong class="comment-status-{}">{}</strong>', obj.status, obj.get_status_display()
        )

    @admin.display(description="trả lời", boolean=True)
    def reply_mark(self, obj):
        return obj.parent_id is not None

    def has_add_permission(self, request):
        # Readers write comments on the site; staff answer from an existing comment.
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and obj.parent_id:
            form.base_fields[
                "reply"
            ].help_text = "Trả lời được gắn vào bình luận gốc (chỉ một cấp trả lời)."
        return form

    def save_model(self, request, obj, form, change):
        # Status changes and replies change the article's count: through services only.
        if "status" in form.changed_data:
            services.comments_moderate(
                comment_ids=[obj.pk], status=form.cleaned_data["status"], user=request.user
            )
        reply = form.cleaned_data.get("reply")
        if reply:
            services.comment_reply(parent=obj, user=request.user, body=reply)
            messages.success(request, "Đã đăng câu trả lời.")

    def delete_model(self, request, obj):
        services.comments_delete(comment_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.comments_delete(comment_ids=list(queryset.values_list("pk", flat=True)))


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "note", "created_at"]
    search_fields = ["word", "note"]


@admin.register(RatingTotal)
class RatingTotalAdmin(admin.ModelAdmin):
    list_display = ["article", "votes", "points", "average_display"]
    list_select_related = ["article"]
    search_fields = ["article__title"]
    ordering = ["-votes"]

    @admin.display(description="trung bình")
    def average_display(self, obj):
        return number_format(obj.average, 1)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The admin index shows how many comments are waiting, next to "Bình luận".
_get_app_list = admin.site.get_app_list


def _app_list_with_waiting(request, app_label=None):
    app_list = _get_app_list(request, app_label)
    for app in app_list:
        if app["app_label"] != Comment._meta.app_label:
            continue
        for model in app["models"]:
            if model["object_name"] == Comment.__name__:
                waiting = Comment.objects.waiting().count()
                model["name"] = f"{model['name'].capitalize()} ({waiting} chờ duyệt)"
                if waiting and model.get("admin_url"):
                    model["admin_url"] += f"?status__exact={PENDING}"
    return app_list


admin.site.get_app_list = _app_list_with_waiting
