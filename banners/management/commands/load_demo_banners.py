from django.core.management.base import BaseCommand

from banners import demo


class Command(BaseCommand):
    help = (
        "Nạp banner mẫu (khối “Liên kết” và liên kết nhanh, có ảnh) khi chưa có banner nào. "
        "make run dùng lệnh này; khi đã có banner thì không làm gì."
    )

    def handle(self, *args, **options):
        if demo.has_banners():
            if options["verbosity"] >= 1:
                self.stdout.write("Đã có banner, bỏ qua banner mẫu.")
            return
        made = demo.load()
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Đã nạp {made} banner mẫu."))
