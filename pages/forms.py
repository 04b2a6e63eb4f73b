from django import forms

from news import images
from pages.models import SiteSettings
from pages.services import MAX_SITE_IMAGE_BYTES
from stats.forms import GroupedIntegerField
from stats.models import Baseline


def _checked_image(field, max_bytes):
    # A new upload has a content type; the stored file (unchanged) does not. A new one is
    # stored re-encoded without its metadata.
    if field and hasattr(field, "content_type"):
        ext = images.check_image(field, max_bytes=max_bytes)
        field = images.clean_upload(field, f"anh{ext}")
    return field


class SiteSettingsForm(forms.ModelForm):
    """The site settings, and the totals carried over from the old site: those two are
    kept by stats (the "Thống kê" block adds them), so they are plain form fields here,
    read from stats.models.Baseline and saved back with the record
    (pages.services.site_settings_save)."""

    # Shown and typed grouped, "8.692.052", as the block shows the total.
    visits_offset = Baseline._meta.get_field("visits").formfield(form_class=GroupedIntegerField)
    pageviews_offset = Baseline._meta.get_field("page_views").formfield(
        form_class=GroupedIntegerField
    )

    class Meta:
        model = SiteSettings
        exclude: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        baseline = Baseline.current()
        self.fields["visits_offset"].initial = baseline.visits
        self.fields["pageviews_offset"].initial = baseline.page_views

    def clean_logo(self):
        return _checked_image(self.cleaned_data.get("logo"), MAX_SITE_IMAGE_BYTES)

    def clean_favicon(self):
        return _checked_image(self.cleaned_data.get("favicon"), MAX_SITE_IMAGE_BYTES)
