import tempfile
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError

from portal.exports import CONTENT_TYPES
from reports.files import write_reports
from stats.periods import Period, PeriodError


class Command(BaseCommand):
    help = (
        "Gửi email các báo cáo (XLSX) của tháng trước tới REPORTS_EMAIL_TO. Chạy bằng cron "
        "đầu mỗi tháng, ví dụ: 0 6 1 * * manage.py send_monthly_reports"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period",
            help="Gửi lại một kỳ khác (2026-10, 2026-q4, 2026...). Mặc định: tháng trước.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Lập các tệp nhưng không gửi email."
        )

    def handle(self, *args, **options):
        recipients = settings.REPORTS_EMAIL_TO
        if not recipients:
            raise CommandError("Chưa đặt REPORTS_EMAIL_TO (danh sách email, cách nhau dấu phẩy).")
        if settings.SITE_URL == settings.DEFAULT_SITE_URL and not settings.DEBUG:
            if not options["dry_run"]:
                raise CommandError(
                    f"Chưa đặt SITE_URL (địa chỉ của cổng, ví dụ https://tuyengiao.example.vn): "
                    f"liên kết trong email sẽ trỏ tới {settings.DEFAULT_SITE_URL}, máy của "
                    "người nhận. Không gửi email."
                )
        try:
            period = (
                Period.parse(options["period"]) if options["period"] else Period.previous_month()
            )
        except PeriodError as error:
            raise CommandError(str(error)) from None
        with tempfile.TemporaryDirectory(prefix="bao-cao-") as folder:
            files = write_reports(period=period, folder=Path(folder))
            site = settings.PORTAL_SITE_NAME
            message = EmailMessage(
                subject=f"[{site}] Báo cáo {period.label}",
                body=(
                    f"Kính gửi lãnh đạo,\n\nĐính kèm các báo cáo {period.label} của cổng thông tin "
                    f"{site}:\n\n"
                    + "\n".join(f"- {p.name}" for p in files)
                    + f"\n\nXem thêm tại {settings.SITE_URL}/admin/bao-cao/\n"
                ),
                to=recipients,
            )
            for path in files:
                message.attach(path.name, path.read_bytes(), CONTENT_TYPES[path.suffix[1:]])
            if options["dry_run"]:
                self.stdout.write(
                    f"Không gửi (--dry-run): {len(files)} tệp cho {', '.join(recipients)}."
                )
                return
            message.send()
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã gửi {len(files)} báo cáo {period.label} tới {', '.join(recipients)}."
                )
            )
