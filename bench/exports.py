"""Benchmark: large exports in bounded memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/exports.py

Seeds (once) 200,000 published articles of 2025 with view counts and per-day/per-month
view aggregates, then exports them in a fresh process each, timing the export and reading
the process's peak resident memory (VmHWM) at the end:

- "Báo cáo bài viết" of the year 2025 (reports.library.ArticlesReport: one row per article,
  with a per-article subquery for the views of the period), XLSX and CSV;
- the article changelist's "Xuất XLSX" / "Xuất CSV" (news.admin.ArticleAdmin), unfiltered.

The benchmark's rows have slugs starting with "bench-export-"; nothing else is touched.
`--drop` deletes them.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PREFIX = "bench-export-"
RUNS = [("report", "xlsx"), ("report", "csv"), ("changelist", "xlsx"), ("changelist", "csv")]


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        sys.exit(
            "DATABASE_URL is not set, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/exports.py"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("HTTPS", "0")
    import django

    django.setup()


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def seed(n: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from news.models import Article, Category

    call_command("migrate", verbosity=0)
    category, _ = Category.objects.get_or_create(
        slug=f"{PREFIX}chuyen-muc", defaults={"name": "Chuyên mục đo xuất tệp"}
    )
    have = Article.objects.filter(slug__startswith=PREFIX).count()
    if have >= n:
        print(f"==> {have} benchmark articles already there")
        return
    print(f"==> seeding {n - have} articles")
    started = time.monotonic()
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    first = datetime(2025, 1, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    for low in range(have + 1, n + 1, 5000):
        Article.objects.bulk_create(
            [
                Article(
                    title=("=Bài " if i % 1000 == 0 else "Bài ")
                    + f"{i}: Hội nghị tổng kết công tác tuyên giáo, “năm 2025”",
                    slug=f"{PREFIX}{i}", summary="Tóm tắt", body="<p>Nội dung</p>",
                    author=f"Phóng viên {i % 50}", category=category,
                    status=Article.Status.PUBLISHED, publish_at=first + timedelta(seconds=150 * i),
                    view_count=(i * 7919) % 5000,
                )
                for i in range(low, min(low + 5000, n + 1))
            ]
        )  # fmt: skip
    with connection.cursor() as cursor:
        # Views per month and per day, as stats.counting writes them.
        cursor.execute(
            """
            INSERT INTO stats_objectviews (bucket, day, kind, object_id, n)
            SELECT b.bucket, CASE WHEN b.bucket = 'm'
                    THEN date_trunc('month', a.publish_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                    ELSE (a.publish_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date END,
                   'article', a.id, a.view_count
            FROM news_article a CROSS JOIN (VALUES ('d'), ('m')) AS b(bucket)
            WHERE a.slug LIKE %s AND a.view_count > 0
            ON CONFLICT DO NOTHING
            """,
            [PREFIX + "%"],
        )
        cursor.execute("ANALYZE news_article; ANALYZE stats_objectviews;")
    print(f"==> seeded in {time.monotonic() - started:.1f} s")


def drop() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM stats_objectviews WHERE kind = 'article' AND object_id IN "
            "(SELECT id FROM news_article WHERE slug LIKE %s)",
            [PREFIX + "%"],
        )
        cursor.execute("DELETE FROM news_article WHERE slug LIKE %s", [PREFIX + "%"])
        cursor.execute("DELETE FROM news_category WHERE slug LIKE %s", [PREFIX + "%"])
    print("==> benchmark rows deleted")


def child(what: str, fmt: str, out: Path) -> None:
    """One export in this (fresh) process; prints its figures as JSON."""
    from django.contrib import admin

    from news.models import Article
    from portal import exports
    from reports.library import ArticlesReport
    from stats.periods import Period

    Article.objects.exists()  # connect first: the baseline includes Django and the driver
    baseline = peak_rss_mb()
    if what == "report":
        sheets = ArticlesReport(Period.year(2025)).sheets()
    else:
        model_admin = admin.site._registry[Article]
        sheets = [
            exports.Sheet(
                "Bài viết", "Danh sách bài viết", model_admin.get_export_columns(),
                model_admin.export_rows(Article.objects.order_by("-publish_at", "-id")),
            )
        ]  # fmt: skip
    started = time.monotonic()
    with out.open("wb") as f:
        exports.write(fmt, sheets, f)
    seconds = time.monotonic() - started
    print(json.dumps({
        "export": what, "format": fmt, "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1), "baseline_rss_mb": round(baseline, 1),
        "file_mb": round(out.stat().st_size / 1e6, 1),
    }))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--drop", action="store_true", help="delete the benchmark rows")
    parser.add_argument(
        "--child", nargs=3, metavar=("WHAT", "FORMAT", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    setup_django()
    if args.child:
        child(args.child[0], args.child[1], Path(args.child[2]))
        return
    if args.drop:
        drop()
        return
    if not 1 <= args.articles <= 2_000_000:
        sys.exit("--articles must be between 1 and 2,000,000")
    seed(args.articles)
    from django.db import connection

    connection.close()
    import tempfile

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
        for what, fmt in RUNS:
            out = Path(folder) / f"{what}.{fmt}"
            proc = subprocess.run(
                [sys.executable, __file__, "--child", what, fmt, str(out)],
                capture_output=True, text=True, check=True, env=os.environ,
            )  # fmt: skip
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            results.append(result)
            print(
                f"{what:10} {fmt:4}  {result['seconds']:6.1f} s  peak RSS "
                f"{result['peak_rss_mb']:6.1f} MB (Django alone {result['baseline_rss_mb']:.1f} MB)"
                f"  file {result['file_mb']:.1f} MB",
                flush=True,
            )
    worst = max(r["peak_rss_mb"] for r in results)
    print(f"==> {args.articles} articles; highest peak RSS {worst:.1f} MB (limit 200 MB)")
    if worst >= 200:
        sys.exit(1)


if __name__ == "__main__":
    main()
