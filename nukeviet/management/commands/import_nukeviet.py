"""manage.py import_nukeviet mysql://root@127.0.0.1:3306/nukeviet --uploads /srv/nv/uploads"""

from pathlib import Path

import pymysql
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEntry
from audit.services import audit_record
from banners.models import BannerPosition
from nukeviet.importer import KINDS, Importer, Options
from nukeviet.progress import Progress
from nukeviet.source import Source


class Command(BaseCommand):
    help = (
        "Nhập dữ liệu từ một trang NukeViet 4.x (chuyên mục, bài viết, thẻ, bình luận, văn bản, "
        "quảng cáo, thống kê). Chạy lại được: chỉ thêm cái mới và sửa cái đã đổi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source", help="CSDL NukeViet, ví dụ mysql://root@127.0.0.1:3306/nukeviet"
        )
        parser.add_argument("--prefix", default="nv4", help="tiền tố bảng (mặc định nv4)")
        parser.add_argument("--lang", default="vi", help="ngôn ngữ dữ liệu (mặc định vi)")
        parser.add_argument("--module", default="news", help="tên module tin tức (mặc định news)")
        parser.add_argument(
            "--laws-module", default="laws", help="tên module văn bản (mặc định laws)"
        )
        parser.add_argument("--uploads", type=Path, help="thư mục uploads/ của NukeViet")
        parser.add_argument(
            "--old-host", action="append", default=[],
            help="tên miền trang cũ: liên kết tuyệt đối tới nó trong bài cũng được chuyển (lặp lại được)",
        )  # fmt: skip
        parser.add_argument(
            "--only", default=",".join(KINDS),
            help=f"chỉ nhập các loại này, cách nhau bởi dấu phẩy: {','.join(KINDS)}",
        )  # fmt: skip
        parser.add_argument(
            "--featured-block", default="Tin tiêu điểm",
            help="nhóm tin (block) NukeViet đánh dấu tin tiêu điểm",
        )  # fmt: skip
        parser.add_argument(
            "--banner-position", action="append", default=[], metavar="PLAN=VỊ_TRÍ",
            help="đặt quảng cáo của plan NukeViet vào vị trí banner: "
            f"{', '.join(BannerPosition.Key.values)} (mặc định links)",
        )  # fmt: skip
        parser.add_argument(
            "--page-modules", default=",".join(settings.NUKEVIET_PAGE_MODULES),
            help="các module trang (page) có trang nhập thành trang tĩnh, cách nhau bởi dấu phẩy "
            "(mặc định NUKEVIET_PAGE_MODULES)",
        )  # fmt: skip
        parser.add_argument(
            "--keep-apart", action="store_true",
            help="không gộp chuyên mục NukeViet vào chuyên mục cùng tên hoặc đường dẫn có sẵn "
            "trên cổng: tạo chuyên mục riêng (đường dẫn thêm -<mã>)",
        )  # fmt: skip
        parser.add_argument("--batch", type=int, default=1000, help="số dòng mỗi lần ghi")
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ báo cáo sẽ thay đổi gì, không ghi gì"
        )

    def handle(self, *args, **options):
        only = [k.strip() for k in options["only"].split(",") if k.strip()]
        unknown = sorted(set(only) - set(KINDS))
        if unknown:
            raise CommandError(
                f"Loại không biết: {', '.join(unknown)}. Chọn trong: {', '.join(KINDS)}"
            )
        positions = {}
        for pair in options["banner_position"]:
            plan, _, key = pair.partition("=")
            if not plan.strip().isdigit() or key not in BannerPosition.Key.values:
                raise CommandError(f"--banner-position {pair!r}: cần dạng SỐ_PLAN=VỊ_TRÍ")
            positions[int(plan)] = key
        uploads = options["uploads"]
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"Không có thư mục uploads: {uploads}")
        opts = Options(
            prefix=options["prefix"], lang=options["lang"], module=options["module"],
            laws_module=options["laws_module"], uploads=uploads,
            page_modules=tuple(m.strip() for m in options["page_modules"].split(",") if m.strip()),
            old_hosts=tuple(options["old_host"]), dry_run=options["dry_run"], only=only,
            batch=max(50, options["batch"]), featured_block=options["featured_block"],
            banner_positions=positions, keep_apart=options["keep_apart"],
        )  # fmt: skip
        try:
            source = Source(
                options["source"], prefix=opts.prefix, lang=opts.lang, module=opts.module
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except pymysql.MySQLError as exc:
            raise CommandError(f"Không kết nối được CSDL NukeViet: {exc}") from None
        verbosity = options["verbosity"]
        progress = Progress(
            out=self.stdout if verbosity else None, verbosity=verbosity,
            keep_apart=opts.keep_apart,
        )  # fmt: skip
        if opts.dry_run and verbosity:
            self.stdout.write("Chạy thử (--dry-run): không ghi gì vào cổng.")
        try:
            Importer(source, opts, progress).run()
        finally:
            source.close()
        if not opts.dry_run:
            audit_record(
                action=AuditEntry.Action.IMPORT,
                detail="import_nukeviet: " + "; ".join(progress.summary_lines(list_limit=5)),
            )
        if verbosity:
            for line in progress.summary_lines():
                self.stdout.write(line)
            if opts.dry_run:
                self.stdout.write("Chạy thử: mọi thay đổi trên đã được hủy.")
