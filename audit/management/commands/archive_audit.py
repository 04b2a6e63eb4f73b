"""Move audit entries older than N months into a file (JSON lines, gzip), then delete them.

The log is kept forever by default; this is for a site whose table has grown too large.
The file is written and flushed to disk before any row is deleted, in one transaction
with the deletion of exactly the rows written.
"""

import gzip
import json
import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEntry

FIELDS = [
    "id", "at", "user_id", "username", "action", "content_type__app_label",
    "content_type__model", "object_id", "object_repr", "detail", "client",
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Chuyển các mục nhật ký hệ thống cũ hơn N tháng ra tệp .jsonl.gz (mặc định trong "
        "VAR_DIR/audit-archive) rồi xóa khỏi cơ sở dữ liệu. --dry-run chỉ đếm."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, required=True, help="giữ lại N tháng gần nhất")
        parser.add_argument("--dry-run", action="store_true", help="chỉ đếm, không ghi, không xóa")
        parser.add_argument(
            "--output-dir", type=Path, default=None, help="thư mục chứa tệp lưu trữ"
        )

    def handle(self, *args, months, dry_run, output_dir, verbosity, **options):
        if months < 1:
            raise CommandError("--months phải từ 1 trở lên.")
        # A month here is 30 days: the cut-off only needs to be predictable.
        cutoff = timezone.now() - timedelta(days=30 * months)
        old = AuditEntry.objects.older_than(cutoff)
        if dry_run:
            n = old.count()
            if verbosity:
                self.stdout.write(
                    f"Chạy thử: {n} mục trước {timezone.localtime(cutoff):%d/%m/%Y %H:%M} "
                    "sẽ được lưu trữ. Không ghi, không xóa gì."
                )
            return
        folder = output_dir or Path(settings.VAR_DIR) / "audit-archive"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"nhat-ky-{timezone.localtime():%Y%m%d-%H%M%S}.jsonl.gz"
        with transaction.atomic():
            ids = []
            rows = old.select_for_update(of=("self",)).order_by("at", "pk").values(*FIELDS)
            with gzip.open(path, "wt", encoding="utf-8") as out:
                for row in rows.iterator(chunk_size=2000):
                    out.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n")
                    ids.append(row["id"])
            with path.open("rb") as written:
                os.fsync(written.fileno())
            deleted = 0
            for start in range(0, len(ids), 5000):
                deleted += AuditEntry.objects.filter(pk__in=ids[start : start + 5000]).delete()[0]
        if not ids:
            path.unlink(missing_ok=True)
        if verbosity:
            self.stdout.write(
                f"Đã lưu trữ {deleted} mục vào {path}." if ids else "Không có mục nào cần lưu trữ."
            )
