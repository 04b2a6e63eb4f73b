"""The library's filters (django-filter). Every value comes from the URL, so every value is
checked by the form: a wrong one is a message and a 400, never a 500."""

import django_filters
from django import forms

from documents import blocks
from documents.models import Document, Validity

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
INVALID_CHOICE = "Giá trị “%(value)s” không có trong danh sách."


class LibraryFilterForm(forms.Form):
    def clean_q(self):
        value = self.cleaned_data.get("q") or ""
        if "\x00" in value:
            raise forms.ValidationError("Từ khóa chứa ký tự không hợp lệ.")
        value = " ".join(value.split())
        if value and not any(ch.isalnum() for ch in value):
            raise forms.ValidationError("Hãy nhập từ khóa có chữ hoặc số.")
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
        return cleaned


class TermFilter(django_filters.ChoiceFilter):
    """A choice among a table managed in the admin (type, issuer, signer, field), offered
    and checked against the cached list (documents.blocks.facets), filtered by key."""

    def __init__(self, *args, facet: str, **kwargs):
        self.facet = facet
        kwargs.setdefault("error_messages", {"invalid_choice": INVALID_CHOICE})
        kwargs.setdefault("empty_label", "Tất cả")
        super().__init__(*args, choices=[], **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        pk = blocks.facets()[self.facet].ids[value]
        return qs.filter(**{self.field_name: pk})


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class LibraryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Từ khóa (có dấu hoặc không dấu)", max_length=200,
        error_messages={
            "max_length": "Từ khóa quá dài (tối đa %(limit_value)d ký tự).",
            "null_characters_not_allowed": "Từ khóa chứa ký tự không hợp lệ.",
        },
    )  # fmt: skip
    type = TermFilter(field_name="doc_type_id", facet="types", label="Loại văn bản")
    issuer = TermFilter(field_name="issuer_id", facet="issuers", label="Cơ quan ban hành")
    signer = TermFilter(field_name="signer_id", facet="signers", label="Người ký")
    field = TermFilter(field_name="topics", facet="topics", label="Lĩnh vực")
    examiner = TermFilter(field_name="examiner_id", facet="examiners", label="Cơ quan thẩm tra")
    year = YearFilter(
        field_name="issued_on", lookup_expr="year", label="Năm ban hành",
        min_value=1945, max_value=2100,
        error_messages={
            "invalid": "Năm phải là một số, ví dụ 2024.",
            "min_value": "Năm không được trước %(limit_value)s.",
            "max_value": "Năm không được sau %(limit_value)s.",
        },
    )  # fmt: skip
    date_from = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="gte", label="Ban hành từ ngày",
        input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Ngày không hợp lệ (ngày/tháng/năm)."},
    )  # fmt: skip
    date_to = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="lte", label="Đến ngày",
        input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Ngày không hợp lệ (ngày/tháng/năm)."},
    )  # fmt: skip
    validity = django_filters.ChoiceFilter(
        method="filter_validity", label="Hiệu lực", choices=Validity.choices,
        empty_label="Tất cả", error_messages={"invalid_choice": INVALID_CHOICE},
    )  # fmt: skip

    class Meta:
        model = Document
        fields = []
        form = LibraryFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        facets = blocks.facets()
        for flt in self.filters.values():
            if isinstance(flt, TermFilter):
                flt.extra["choices"] = facets[flt.facet].choices

    def search(self, queryset, name, value):
        return queryset.search(value) if value else queryset

    def filter_validity(self, queryset, name, value):
        return queryset.validity(value) if value else queryset
