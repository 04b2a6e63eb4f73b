from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models

from news import images, services
from news.models import Article, BodyImage
from portal import fragments


class Command(BaseCommand):
    help = (
        "Tạo các bản ảnh còn thiếu (WebP, bản hẹp cho điện thoại) cho ảnh đại diện và ảnh trong "
        "bài đã có từ trước. Chỉ làm những gì còn thiếu: chạy lại không tạo lại (make run chạy "
        "lệnh này mỗi lần khởi động). Dùng --all để tạo lại tất cả, --strip-metadata để xoá "
        "siêu dữ liệu (EXIF, vị trí GPS, chú thích, XMP, ICC) khỏi mọi ảnh đã lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Tạo lại cả những bản ảnh đã có.")
        parser.add_argument(
            "--strip-metadata",
            action="store_true",
            help="Ghi lại không kèm siêu dữ liệu mọi ảnh đã lưu (ảnh đại diện, ảnh trong bài, "
            "quảng cáo, logo), giữ nguyên tên tệp; làm lại các bản ảnh của chúng.",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        articles = Article.objects.exclude(image="").only(
            "pk", "image", "image_thumb", "image_large", "image_renditions"
        )
        strip = options["strip_metadata"]
        if not (options["all"] or strip):
            articles = articles.filter(image_renditions__lt=images.RENDITIONS)
        made_articles = failed = 0
        for article in articles.iterator(chunk_size=200):
            try:
                services.article_make_renditions(article=article, keep_names=True)
            except OSError as exc:  # a missing or unreadable original: say so, go on
                failed += 1
                self.stderr.write(f"Bài {article.pk}: không đọc được ảnh ({exc}).")
                continue
            made_articles += 1
            if verbosity >= 2:
                self.stdout.write(f"  bài {article.pk}: {article.image_large.name}")
        made_body = 0
        for body_image in BodyImage.objects.only("pk", "image").iterator(chunk_size=200):
            name = body_image.image.name
            storage = body_image.image.storage
            try:
                # A body image cleaned here gets new siblings: the old ones carried it too.
                cleaned = strip and images.clean_stored(body_image.image)
                if not name.lower().endswith(".jpg"):
                    continue
                if not (options["all"] or cleaned) and storage.exists(
                    images.sibling(name, ext=".webp")
                ):
                    continue
                made = services.body_image_make_renditions(body_image=body_image)
            except OSError as exc:
                failed += 1
                self.stderr.write(f"Ảnh trong bài {body_image.pk}: không đọc được ({exc}).")
                continue
            made_body += made
        cleaned_other = self.strip_other_images(failed_to=self.stderr) if strip else 0
        if made_articles or made_body or cleaned_other:
            # Pages cached before now link the old, plain images: render them again.
            fragments.bump()
        if verbosity >= 1:
            self.stdout.write(
                f"Đã tạo bản ảnh cho {made_articles} ảnh đại diện và {made_body} ảnh trong bài"
                + (f"; {failed} ảnh lỗi." if failed else ".")
            )
            if strip:
                self.stdout.write(f"Đã xoá siêu dữ liệu của {cleaned_other} ảnh khác.")

    def strip_other_images(self, failed_to) -> int:
        """Every other stored image of any installed app (banners, the site's logo), found
        by its ImageField: this app does not know those apps."""
        from news.models import Article, BodyImage

        cleaned = 0
        for model in apps.get_models():
            if model in (Article, BodyImage):
                continue
            for field in model._meta.fields:
                if not isinstance(field, models.ImageField):
                    continue
                rows = model._default_manager.exclude(**{field.name: ""}).only("pk", field.name)
                for row in rows.iterator(chunk_size=200):
                    try:
                        cleaned += images.clean_stored(getattr(row, field.name))
                    except OSError as exc:
                        failed_to.write(f"{model._meta.verbose_name} {row.pk}: {exc}")
        return cleaned
