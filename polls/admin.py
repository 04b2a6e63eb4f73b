from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from polls.models import MAX_ANSWERS, MIN_ANSWERS, Answer, Poll
from portal.exports import ExportMixin
from portal.exports import Field as ExportField


class AnswerFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            f for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("text")
        ]  # fmt: skip
        if not MIN_ANSWERS <= len(kept) <= MAX_ANSWERS:
            raise forms.ValidationError(
                f"Cuộc thăm dò cần từ {MIN_ANSWERS} đến {MAX_ANSWERS} phương án "
                f"(đang có {len(kept)})."
            )


class AnswerInline(admin.TabularInline):
    model = Answer
    formset = AnswerFormSet
    fields = ["text", "order", "votes"]
    readonly_fields = ["votes"]
    extra = 0
    min_num = MIN_ANSWERS
    max_num = MAX_ANSWERS


@admin.register(Poll)
class PollAdmin(ExportMixin, admin.ModelAdmin):
    export_fields = [
        ExportField("question", width=50), "kind", "opens_at", "closes_at", "voter_count",
    ]  # fmt: skip
    list_display = ["question", "kind", "opens_at", "closes_at", "is_active", "voter_count",
                    "results_link"]  # fmt: skip
    list_filter = ["is_active", "kind"]
    search_fields = ["question"]
    date_hierarchy = "opens_at"
    readonly_fields = ["voter_count"]
    fields = ["question", "slug", "kind", "opens_at", "closes_at", "hide_results", "is_active",
              "voter_count"]  # fmt: skip
    inlines = [AnswerInline]

    @admin.display(description="kết quả")
    def results_link(self, obj):
        url = reverse("admin:polls_answer_changelist") + f"?poll__id__exact={obj.pk}"
        return format_html('<a href="{}">Xem, xuất kết quả</a>', url)


@admin.register(Answer)
class AnswerAdmin(ExportMixin, admin.ModelAdmin):
    """The results, one row per answer: read-only, exported per poll with the list filter."""

    export_fields = [
        ExportField("poll__question", "Cuộc thăm dò", width=50), ExportField("text", width=40),
        "votes", ExportField("poll__voter_count", "Số người bình chọn"),
    ]  # fmt: skip
    list_display = ["text", "poll", "votes", "share"]
    list_filter = [("poll", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["poll"]
    search_fields = ["text", "poll__question"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="tỷ lệ")
    def share(self, obj):
        return f"{obj.percent(obj.poll.voter_count):.1f}%".replace(".", ",")
