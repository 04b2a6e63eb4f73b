from django.core.management.base import BaseCommand

from pages import demo


class Command(BaseCommand):
    help = (
        "Điền cấu hình trang mẫu (địa chỉ, điện thoại, chịu trách nhiệm nội dung, giấy phép, "
        "biểu tượng trang) và tổng lượt truy cập của trang cũ, khi chưa điền. make run dùng "
        "lệnh này; khi cấu hình đã có địa chỉ thì không làm gì."
    )

    def handle(self, *args, **options):
        if demo.has_site_settings():
            if options["verbosity"] >= 1:
                self.stdout.write("Cấu hình trang đã được điền, bỏ qua.")
            return
        demo.load()
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS("Đã điền cấu hình trang mẫu."))
