from datetime import timedelta

from django import forms
from django.utils import timezone

from banners.models import Banner
from banners.services import MAX_BANNER_BYTES
from news import images


def _checked_image(field, max_bytes):
    # A new upload has a content type; the stored file (unchanged) does not. A new one is
    # stored re-encoded without its metadata.
    if field and hasattr(field, "content_type"):
        ext = images.check_image(field, max_bytes=max_bytes)
        field = images.clean_upload(field, f"anh{ext}")
    return field


class BannerAdminForm(forms.ModelForm):
    class Meta:
        model = Banner
        fields = [
            "title", "image", "url", "position", "order", "start_at", "end_at", "is_active",
        ]  # fmt: skip

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_image(self):
        return _checked_image(self.cleaned_data.get("image"), MAX_BANNER_BYTES)


class ReportPeriodForm(forms.Form):
    """A period of whole days, at most about a year, for the banner report."""

    MAX_DAYS = 400

    start = forms.DateField(label="Từ ngày", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Đến ngày", widget=forms.DateInput(attrs={"type": "date"}))

    @classmethod
    def initial_period(cls) -> dict:
        today = timezone.localdate()
        return {"start": today - timedelta(days=29), "end": today}

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
            if (end - start).days > self.MAX_DAYS:
                raise forms.ValidationError(f"Chỉ xem được tối đa {self.MAX_DAYS} ngày một lần.")
        return data
