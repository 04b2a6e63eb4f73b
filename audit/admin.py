from datetime import datetime, time, timedelta

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils import timezone

from audit.models import AuditEntry
from portal.exports import ExportMixin
from portal.exports import Field as ExportField


class DateRangeFilter(admin.FieldListFilter):
    """'Từ ngày … đến ngày …' (both ends included, local dates dd/mm/yyyy or yyyy-mm-dd).

    Django's DateFieldListFilter offers only fixed spans (today, 7 days, this month)."""

    template = "admin/audit/date_range_filter.html"
    FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.key_from, self.key_to = f"{field_path}_tu", f"{field_path}_den"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = "khoảng ngày"
        # FieldListFilter has moved our two parameters from `params` to used_parameters.
        self.value_from = self._first(self.used_parameters.get(self.key_from))
        self.value_to = self._first(self.used_parameters.get(self.key_to))

    @staticmethod
    def _first(value):
        return (value[-1] if isinstance(value, list) else value or "").strip()

    def _parse(self, text):
        for fmt in self.FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        # The changelist answers this with its "bad filter" page, never a 500.
        raise IncorrectLookupParameters(f"Ngày không hợp lệ: “{text}” (dạng ngày/tháng/năm).")

    def expected_parameters(self):
        return [self.key_from, self.key_to]

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        tz = timezone.get_current_timezone()
        if self.value_from:
            start = datetime.combine(self._parse(self.value_from), time.min, tz)
            queryset = queryset.filter(**{f"{self.field_path}__gte": start})
        if self.value_to:
            end = datetime.combine(self._parse(self.value_to) + timedelta(days=1), time.min, tz)
            queryset = queryset.filter(**{f"{self.field_path}__lt": end})
        return queryset

    def choices(self, changelist):
        # The template draws the two boxes; one "all" entry clears them.
        yield {
            "selected": not (self.value_from or self.value_to),
            "query_string": changelist.get_query_string(remove=[self.key_from, self.key_to]),
            "display": "Tất cả",
            "from": self.value_from,
            "to": self.value_to,
            "key_from": self.key_from,
            "key_to": self.key_to,
            "hidden": [
                (k, v)
                for k, v in changelist.get_filters_params().items()
                if k not in (self.key_from, self.key_to)
            ],
        }


class StaffUserFilter(admin.RelatedFieldListFilter):
    """Only people who appear in the log, in one query (not every reader account)."""

    def field_choices(self, field, request, model_admin):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_staff=True).order_by("username")
        return [(u.pk, u.get_username()) for u in users.only("username")]


@admin.register(AuditEntry)
class AuditEntryAdmin(ExportMixin, admin.ModelAdmin):
    """Read-only for everyone, superusers included: no add, change or delete here. Old
    entries leave only through `manage.py archive_audit`, which writes them to a file."""

    list_display = ["at", "username", "action", "object_repr", "content_type", "client"]
    list_filter = [
        ("user", StaffUserFilter),
        "action",
        ("at", DateRangeFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["content_type"]
    search_fields = ["username", "object_repr", "detail"]
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False
    fields = [
        "at", "username", "user", "action", "content_type", "object_id", "object_repr",
        "detail", "client",
    ]  # fmt: skip
    export_fields = [
        "at", "username", "action", ExportField("content_type__model", "Loại đối tượng"),
        "object_id", "object_repr", "detail", "client",
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
