"""The demo's banners (make run): the "Liên kết" column of partner sites and the quick
links above it, as on the replaced site, each with a drawn image."""

from django.core.files.base import ContentFile
from django.db import transaction

from banners.models import Banner, BannerPosition
from banners.services import banner_resize_image
from portal.drawing import label_png

QUICK = [
    ("Lịch làm việc", "https://example.vn/lich-lam-viec"),
    ("Tài liệu sinh hoạt chi bộ", "https://example.vn/tai-lieu-sinh-hoat"),
    ("Tài liệu Chỉ thị 05", "https://example.vn/chi-thi-05"),
    ("Sổ tay đảng viên điện tử", "https://example.vn/so-tay-dang-vien"),
    ("Fanpage Tuyên giáo", "https://example.vn/fanpage"),
    ("Zalo OA Tuyên giáo", "https://example.vn/zalo"),
    ("Hiến kế xây dựng tỉnh", "https://example.vn/hien-ke"),
]
LINKS = [
    ("Cổng thông tin điện tử tỉnh", "https://example.vn/cong-thong-tin"),
    ("Công an tỉnh", "https://example.vn/cong-an"),
    ("Bảo hiểm xã hội tỉnh", "https://example.vn/bhxh"),
    ("Công ty Điện lực", "https://example.vn/dien-luc"),
    ("Cục Thuế tỉnh", "https://example.vn/thue"),
    ("Sở Y tế", "https://example.vn/so-y-te"),
    ("Báo Bình Phước", "https://example.vn/bao"),
]
COLOURS = [(178, 34, 34), (21, 101, 192), (46, 125, 50), (123, 31, 162), (0, 105, 92)]


def has_banners() -> bool:
    return Banner.objects.exists()


@transaction.atomic
def load() -> int:
    """Create the demo banners; the caller checks `has_banners()` first."""
    made = 0
    for key, heading, items, size in [
        (BannerPosition.Key.QUICK, "", QUICK, (300, 70)),
        (BannerPosition.Key.LINKS, "Liên kết", LINKS, (300, 90)),
    ]:
        position, _ = BannerPosition.objects.get_or_create(key=key, defaults={"heading": heading})
        if heading and not position.heading:
            position.heading = heading
            position.save(update_fields=["heading"])
        for order, (title, url) in enumerate(items):
            banner = Banner(title=title, url=url, position=position, order=order)
            words = title.split()
            half = (len(words) + 1) // 2
            lines = [" ".join(words[:half]), " ".join(words[half:])] if len(words) > 2 else [title]
            png = label_png(lines, size=size, colour=COLOURS[order % len(COLOURS)])
            banner.image.save("banner.png", ContentFile(png), save=False)
            banner.save()
            banner_resize_image(banner=banner)
            made += 1
    return made
