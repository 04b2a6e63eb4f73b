"""Fixtures of the banner tests: banners, images, and the impressions stats kept."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from banners.models import IMPRESSION, Banner, BannerPosition
from stats.models import Bucket, ObjectViews

# As portal/migrations/0003_banner_positions.py made them (transactional tests, such as
# the browser tests, empty every table afterwards, so they are made again when missing).
POSITIONS = {
    "links": ("Liên kết", BannerPosition.Mode.ORDERED),
    "quick": ("Liên kết nhanh", BannerPosition.Mode.ORDERED),
    "header": ("", BannerPosition.Mode.RANDOM_ONE),
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2 costs half a second per user made; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def banner_position(key, **changes) -> BannerPosition:
    heading, mode = POSITIONS[key]
    obj, _ = BannerPosition.objects.get_or_create(
        key=key, defaults={"heading": heading, "mode": mode}
    )
    if changes:
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()
    return obj


def make_banner(title="Cổng thông tin điện tử Chính phủ", *, position="links",
                url="https://chinhphu.vn/", order=0, **kwargs) -> Banner:  # fmt: skip
    return Banner.objects.create(
        title=title,
        url=url,
        position=banner_position(position),
        order=order,
        start_at=kwargs.pop("start_at", timezone.now() - timedelta(days=1)),
        **kwargs,
    )


def image_upload(name="banner.png", size=(1600, 400), fmt="PNG", color=(200, 20, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}[fmt]
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)


def impressions(**filters) -> dict[int, int]:
    """Banner id -> impressions, summed over the days stats kept (what the report reads)."""
    rows = ObjectViews.objects.filter(kind=IMPRESSION, bucket=Bucket.DAY, **filters)
    totals: dict[int, int] = {}
    for object_id, n in rows.values_list("object_id", "n"):
        totals[object_id] = totals.get(object_id, 0) + n
    return totals
