from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from news.models import Category
from reports import library
from reports.files import write_reports
from stats.periods import Period, PeriodError


class Command(BaseCommand):
    help = (
        "Ghi các báo cáo của một kỳ vào một thư mục (cùng nội dung với trang Báo cáo). "
        "Ví dụ: manage.py export_reports --period 2026-10 --output /srv/bao-cao"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", required=True,
            help="2026-10 (tháng), 2026-q4 (quý), 2026 (năm) hoặc 2026-10-01:2026-10-15.",
        )  # fmt: skip
        parser.add_argument("--output", required=True, help="Thư mục ghi tệp.")
        parser.add_argument(
            "--report", action="append", dest="reports", metavar="SLUG",
            help="Chỉ báo cáo này (lặp lại được): "
            + ", ".join(cls.slug for cls in library.REGISTRY.values()) + ". Mặc định: tất cả.",
        )  # fmt: skip
        parser.add_argument(
            "--format", choices=["xlsx", "csv", "both"], default="xlsx", help="Mặc định: xlsx."
        )
        parser.add_argument("--category", metavar="SLUG", help="Đường dẫn của chuyên mục.")

    def handle(self, *args, **options):
        try:
            period = Period.parse(options["period"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        for slug in options["reports"] or []:
            if library.get(slug) is None:
                raise CommandError(f"Không có báo cáo “{slug}”.")
        category = None
        if options["category"]:
            category = Category.objects.filter(slug=options["category"]).first()
            if category is None:
                raise CommandError(f"Không có chuyên mục “{options['category']}”.")
        formats = ("xlsx", "csv") if options["format"] == "both" else (options["format"],)
        written = write_reports(
            period=period, folder=Path(options["output"]), slugs=options["reports"],
            formats=formats, category=category,
        )  # fmt: skip
        if options["verbosity"] >= 1:
            for path in written:
                self.stdout.write(str(path))
            self.stdout.write(self.style.SUCCESS(f"Đã ghi {len(written)} tệp ({period.label})."))
