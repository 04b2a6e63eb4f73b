"""The demo's site settings (make run): the footer as on the replaced site, a favicon, and
"Tổng lượt truy cập" going on from the old site's figure."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from pages.models import SiteSettings
from portal.drawing import star_png
from stats.models import Baseline
from stats.services import stats_set_baseline

# The replaced site's visit total when it was switched off (reference page).
OLD_SITE_VISITS = 8_692_052

FOOTER = {
    "address": "Số 1 đường Trần Hưng Đạo, phường Tân Phú, thành phố Đồng Xoài, tỉnh Bình Phước",
    "phone": "0271 3879 123",
    "email": "bantuyengiao@example.vn",
    "responsible": "Trưởng Ban Tuyên giáo Tỉnh ủy",
    "licence": "Giấy phép số 01/GP-TTĐT ngày 05/01/2021 của Sở Thông tin và Truyền thông tỉnh",
}


def has_site_settings() -> bool:
    record = SiteSettings.objects.filter(pk=1).first()
    return record is not None and bool(record.address)


@transaction.atomic
def load() -> None:
    """Fill the site settings (and the favicon), and the old site's total if none is set."""
    record = SiteSettings.objects.filter(pk=1).first() or SiteSettings(
        site_name=settings.PORTAL_SITE_NAME, slogan=settings.PORTAL_SITE_SLOGAN
    )
    for name, value in FOOTER.items():
        setattr(record, name, value)
    if not record.favicon:
        record.favicon.save("favicon.png", ContentFile(star_png()), save=False)
    record.save()
    if not Baseline.objects.filter(visits__gt=0).exists():
        stats_set_baseline(visits=OLD_SITE_VISITS)
