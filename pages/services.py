"""Writes of the pages app that touch another app's tables."""

from django.db import transaction

from pages.models import SiteSettings
from stats.services import stats_set_baseline

MAX_SITE_IMAGE_BYTES = 2 * 1024 * 1024


def site_settings_save(*, record: SiteSettings, visits_offset: int, pageviews_offset: int) -> None:
    """Save the site settings page: the record, and the old site's totals, which stats
    keeps. One transaction, so neither is saved without the other."""
    with transaction.atomic():
        record.save()
        stats_set_baseline(visits=visits_offset, page_views=pageviews_offset)
