from django.core.management.base import BaseCommand

from contact import services


class Command(BaseCommand):
    help = (
        "Gửi lại thư liên hệ chưa gửi được (báo cho bộ phận, trả lời người hỏi). "
        "Chạy định kỳ, ví dụ 5 phút một lần bằng cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="Số thư tối đa mỗi lần chạy.")

    def handle(self, *args, limit, verbosity, **options):
        sent, failed = services.mails_send(limit=limit)
        if verbosity >= 1:
            self.stdout.write(f"Đã gửi {sent} thư, lỗi {failed} thư.")
