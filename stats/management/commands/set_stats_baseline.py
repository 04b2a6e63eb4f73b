from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.management.base import BaseCommand, CommandError

from stats.models import Baseline
from stats.services import stats_set_baseline

MAX_TOTAL = 2**63 - 1  # the largest PostgreSQL bigint


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
            if value is not None and not 0 <= value <= MAX_TOTAL:
                raise CommandError(f"{name} phải là số không âm, tối đa {intcomma(MAX_TOTAL)}.")
        if visits is None and page_views is None:
            baseline = Baseline.current()
        else:
            baseline = stats_set_baseline(visits=visits, page_views=page_views)
        if verbosity:
            self.stdout.write(
                f"Lượt truy cập từ trang cũ: {intcomma(baseline.visits)}; "
                f"lượt xem trang từ trang cũ: {intcomma(baseline.page_views)}"
            )
