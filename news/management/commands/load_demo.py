import time

from django.core.management.base import BaseCommand, CommandError

from news.demo import loader


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (chuyên mục, thẻ, khoảng 70 bài viết có ảnh) vào cơ sở dữ liệu trống. "
        "Dùng --once để bỏ qua, không báo lỗi, khi đã có dữ liệu (make run dùng cách này)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Nếu đã có chuyên mục hoặc bài viết thì không làm gì (không báo lỗi).",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        if loader.has_content():
            if options["once"]:
                if verbosity >= 1:
                    self.stdout.write("Đã có dữ liệu, bỏ qua việc nạp dữ liệu mẫu.")
                return
            raise CommandError(
                "Cơ sở dữ liệu đã có chuyên mục hoặc bài viết; không nạp dữ liệu mẫu chồng lên. "
                "Dùng --once để bỏ qua khi đã có dữ liệu."
            )

        started = time.monotonic()
        log = self.stdout.write if verbosity >= 2 else None
        result = loader.load(log=log)
        if verbosity >= 1:
            if not result.articles:
                self.stdout.write("Đã có dữ liệu, bỏ qua việc nạp dữ liệu mẫu.")
                return
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã nạp dữ liệu mẫu: {result.categories} chuyên mục, {result.tags} thẻ, "
                    f"{result.articles} bài viết, {result.pictures} ảnh "
                    f"({time.monotonic() - started:.1f} giây)."
                )
            )
