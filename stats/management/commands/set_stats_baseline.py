from django.core.management.base import BaseCommand, CommandError

from stats import blocks
from stats.models import Baseline


class Command(BaseCommand):
    help = (
        "Đặt số liệu chuyển từ trang cũ (cộng vào “Tổng lượt truy cập”), ví dụ "
        "--visits 8692052. Không có tham số: in số đang dùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--visits", type=int, help="tổng lượt truy cập của trang cũ")
        parser.add_argument("--page-views", type=int, help="tổng lượt xem trang của trang cũ")

    def handle(self, *args, visits=None, page_views=None, verbosity=1, **options):
        for name, value in (("--visits", visits), ("--page-views", page_views)):
            if value is not None and value < 0:
                raise CommandError(f"{name} phải là số không âm.")
        baseline, _ = Baseline.objects.get_or_create(pk=1)
        changed = []
        if visits is not None:
            baseline.visits = visits
            changed.append("visits")
        if page_views is not None:
            baseline.page_views = page_views
            changed.append("page_views")
        if changed:
            baseline.save(update_fields=[*changed, "updated_at"])
            blocks.invalidate()
        if verbosity:
            self.stdout.write(
                f"Lượt truy cập từ trang cũ: {baseline.visits:,}; "
                f"lượt xem trang từ trang cũ: {baseline.page_views:,}"
            )
