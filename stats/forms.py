import re
from datetime import date, timedelta

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone

from stats.models import Baseline
from stats.periods import Period, PeriodError, month_start

MAX_DAYS = 3660  # ten years: a report of any length the site can have
# Typed day first, as the site writes dates (the browser's own date picker would show its
# own order, "mm/dd/yyyy" on many); ISO still read, for links made before.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DAY_FIRST = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "ngày/tháng/năm", "inputmode": "numeric", "size": 10}
)
DATE_ERROR = "Ngày không hợp lệ, hãy nhập dạng 31/12/2026."


class PeriodForm(forms.Form):
    """The dashboard's period: a year, a month, or a day range (in that order of priority);
    the last 30 days when nothing is chosen."""

    tu = forms.DateField(
        label="Từ ngày",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": DATE_ERROR},
        widget=DAY_FIRST,
    )
    den = forms.DateField(
        label="Đến ngày",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": DATE_ERROR},
        widget=DAY_FIRST,
    )
    thang = forms.CharField(
        label="Tháng",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"}),
    )
    nam = forms.IntegerField(
        label="Năm",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "Năm phải là một số, ví dụ 2026.",
            "min_value": "Năm phải từ 2000 đến 2100.",
            "max_value": "Năm phải từ 2000 đến 2100.",
        },
    )

    def clean_thang(self):
        raw = self.cleaned_data["thang"].strip()
        if not raw:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
        if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2100:
            raise forms.ValidationError("Tháng không hợp lệ, hãy chọn dạng năm-tháng (2026-01).")
        return date(int(match[1]), int(match[2]), 1)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        if data.get("nam"):
            self.period = Period.year(data["nam"])
        elif data.get("thang"):
            self.period = Period.month(data["thang"].year, data["thang"].month)
        elif data.get("tu") or data.get("den"):
            end = data.get("den") or today
            start = data.get("tu") or end - timedelta(days=29)
            if start > end:
                raise forms.ValidationError("Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.")
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError("Khoảng thời gian dài nhất là 10 năm.")
            try:
                self.period = Period.range(start, end)
            except PeriodError as error:
                raise forms.ValidationError(str(error)) from None
        else:
            self.period = default_period()
        return data


def default_period() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=29), today, "30 ngày qua")


def presets() -> list[tuple[str, str]]:
    """(label, query string) of the usual periods."""
    today = timezone.localdate()
    last_month = month_start(month_start(today) - timedelta(days=1))
    return [
        ("7 ngày qua", f"tu={today - timedelta(days=6)}&den={today}"),
        ("30 ngày qua", ""),
        ("Tháng này", f"thang={today:%Y-%m}"),
        ("Tháng trước", f"thang={last_month:%Y-%m}"),
        ("Năm nay", f"nam={today.year}"),
        ("Năm trước", f"nam={today.year - 1}"),
    ]


class GroupedIntegerField(forms.IntegerField):
    """A large count shown and typed as people write it, "8.692.052" (Django reads the
    separator back only under USE_THOUSAND_SEPARATOR, which the site leaves off: see
    settings)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "class": "vIntegerField"})

    def prepare_value(self, value):
        return intcomma(value) if isinstance(value, int) else value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(".", "").replace(" ", "").replace("\u00a0", "")
        return super().to_python(value)


class BaselineForm(forms.ModelForm):
    class Meta:
        model = Baseline
        fields = ["visits", "page_views"]
        field_classes = {"visits": GroupedIntegerField, "page_views": GroupedIntegerField}
