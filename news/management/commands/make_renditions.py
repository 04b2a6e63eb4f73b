from django.core.management.base import BaseCommand

from news import images, services
from news.models import Article, BodyImage
from portal import fragments


class Command(BaseCommand):
    help = (
        "Tạo các bản ảnh còn thiếu (WebP, bản hẹp cho điện thoại) cho ảnh đại diện và ảnh trong "
        "bài đã có từ trước. Chỉ làm những gì còn thiếu: chạy lại không tạo lại (make run chạy "
        "lệnh này mỗi lần khởi động). Dùng --all để tạo lại tất cả."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Tạo lại cả những bản ảnh đã có.")

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        articles = Article.objects.exclude(image="").only(
            "pk", "image", "image_thumb", "image_large", "image_renditions"
        )
        if not options["all"]:
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
            if not name.lower().endswith(".jpg"):
                continue
            if not options["all"] and storage.exists(images.sibling(name, ext=".webp")):
                continue
            try:
                made = services.body_image_make_renditions(body_image=body_image)
            except OSError as exc:
                failed += 1
                self.stderr.write(f"Ảnh trong bài {body_image.pk}: không đọc được ({exc}).")
                continue
            made_body += made
        if made_articles or made_body:
            # Pages cached before now link the old, plain images: render them again.
            fragments.bump()
        if verbosity >= 1:
            self.stdout.write(
                f"Đã tạo bản ảnh cho {made_articles} ảnh đại diện và {made_body} ảnh trong bài"
                + (f"; {failed} ảnh lỗi." if failed else ".")
            )
