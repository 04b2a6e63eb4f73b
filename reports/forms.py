from django import forms
from django.utils import timezone

from news.models import Category
from reports import library
from stats.periods import YEAR_MAX, YEAR_MIN, Period, PeriodError

# Typed day first, as the site writes dates (the browser's own date picker would show its
# own order, "mm/dd/yyyy" on many); ISO still read, for links made before.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DAY_FIRST = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "ngày/tháng/năm", "inputmode": "numeric", "size": 10}
)
FORMATS = [("xlsx", "Excel (XLSX)"), ("csv", "CSV (UTF-8)")]
BAD_DATE = "Ngày không hợp lệ; hãy nhập dạng 31/12/2026."
PERIOD_KINDS = [("thang", "Tháng"), ("quy", "Quý"), ("nam", "Năm"), ("khoang", "Khoảng ngày")]


class ReportForm(forms.Form):
    """Which report, for which period, in which format. Sent by GET: a report is a read,
    and its address can be bookmarked."""

    bao_cao = forms.ChoiceField(
        label="Báo cáo", widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Không có báo cáo này.", "required": "Hãy chọn một báo cáo."},
    )  # fmt: skip
    ky = forms.ChoiceField(
        label="Kỳ báo cáo", choices=PERIOD_KINDS, initial="thang", widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Hãy chọn kỳ: tháng, quý, năm hoặc khoảng ngày."},
    )  # fmt: skip
    nam = forms.IntegerField(
        label="Năm",
        required=False,
        widget=forms.NumberInput(attrs={"min": YEAR_MIN, "max": YEAR_MAX}),
        error_messages={"invalid": "Năm phải là một số, ví dụ 2026."},
    )
    thang = forms.TypedChoiceField(
        label="Tháng", required=False, coerce=int, empty_value=None,
        choices=[(m, f"Tháng {m}") for m in range(1, 13)],
        error_messages={"invalid_choice": "Tháng phải từ 1 đến 12."},
    )  # fmt: skip
    quy = forms.TypedChoiceField(
        label="Quý", required=False, coerce=int, empty_value=None,
        choices=[(q, f"Quý {q}") for q in range(1, 5)],
        error_messages={"invalid_choice": "Quý phải từ 1 đến 4."},
    )  # fmt: skip
    tu = forms.DateField(
        label="Từ ngày", required=False, input_formats=DATE_INPUT_FORMATS,
        widget=DAY_FIRST,
        error_messages={"invalid": BAD_DATE},
    )  # fmt: skip
    den = forms.DateField(
        label="Đến ngày", required=False, input_formats=DATE_INPUT_FORMATS,
        widget=DAY_FIRST,
        error_messages={"invalid": BAD_DATE},
    )  # fmt: skip
    chuyen_muc = forms.ModelChoiceField(
        label="Chuyên mục", required=False, queryset=Category.objects.in_tree_order(),
        error_messages={"invalid_choice": "Không có chuyên mục này."},
        empty_label="Tất cả chuyên mục",
        help_text="Với báo cáo bài viết, xem nhiều và bình luận; gồm cả chuyên mục con.",
    )  # fmt: skip
    dinh_dang = forms.ChoiceField(
        label="Định dạng", choices=FORMATS, initial="xlsx", widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Định dạng chỉ có XLSX hoặc CSV."},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reports = library.available()
        self.fields["bao_cao"].choices = [(r.slug, r.description) for r in reports]
        if reports:
            self.fields["bao_cao"].initial = reports[0].slug
        last = Period.previous_month()
        self.fields["nam"].initial = last.start.year
        self.fields["thang"].initial = last.start.month
        self.fields["quy"].initial = (last.start.month - 1) // 3 + 1
        self.fields["tu"].initial = last.start
        self.fields["den"].initial = last.end

    def clean(self):
        data = super().clean()
        kind = data.get("ky")
        needed = {"thang": ["nam", "thang"], "quy": ["nam", "quy"], "nam": ["nam"],
                  "khoang": ["tu", "den"]}.get(kind, [])  # fmt: skip
        missing = False
        for name in needed:
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, "Hãy nhập trường này cho kỳ đã chọn.")
                missing = True
        if missing or any(name in self.errors for name in needed) or not kind:
            return data
        try:
            if kind == "thang":
                self.period = Period.month(data["nam"], data["thang"])
            elif kind == "quy":
                self.period = Period.quarter(data["nam"], data["quy"])
            elif kind == "nam":
                self.period = Period.year(data["nam"])
            else:
                self.period = Period.range(data["tu"], data["den"])
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None
        if self.period.start > timezone.localdate():
            raise forms.ValidationError("Kỳ báo cáo chưa bắt đầu.")
        return data

    def report(self) -> library.Report:
        cls = library.get(self.cleaned_data["bao_cao"])
        return cls(self.period, self.cleaned_data.get("chuyen_muc"))
