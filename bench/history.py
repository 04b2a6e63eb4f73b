"""Benchmark: what "Lịch sử" (django-reversion) costs per save and on disk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_history .venv/bin/python bench/history.py

1. Seeds (once) N articles (default 20,000; `--articles 200000` for the full size) with
   bodies of about 6 KB of rich text, like the scale benchmark's.
2. Cost per save: the same admin-shaped save (`save(update_fields=...)` of the editable
   fields) of `--saves` articles, without a revision and inside one
   (reversion.create_revision with a user and a comment, as the admin does), timed and with
   its queries counted.
3. Size: one version for `--versions` articles (default 5,000; as after each was saved
   once in the admin), then the size of reversion's two tables (rows, indexes, TOAST) per
   version; the total for 200,000 articles with one and with five versions each is
   extrapolated from the bytes per version (versions are independent rows of about the same
   size: the tables grow linearly). The article table's own size is printed beside it.

Rows made here have slugs starting with "bench-history-"; `--drop` deletes them and their
versions. Reader pages are not measured here: they write no version and read none (the
query-count tests of the reader pages hold that).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PREFIX = "bench-history-"


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        sys.exit(
            "DATABASE_URL is not set, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
            "portal_bench_history python bench/history.py"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("HTTPS", "0")
    import django

    django.setup()


def seed(n: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from bench.common import make_body
    from news.models import Article, Category

    call_command("migrate", verbosity=0)
    have = Article.objects.filter(slug__startswith=PREFIX).count()
    if have >= n:
        return
    category, _ = Category.objects.get_or_create(
        slug=f"{PREFIX}chuyen-muc", defaults={"name": "Chuyên mục đo lịch sử"}
    )
    rng = random.Random(14)
    bodies = [make_body(rng, 6000) for _ in range(50)]  # reused: the content does not matter
    now = timezone.now()
    batch = []
    for i in range(have, n):
        batch.append(
            Article(
                title=f"Bài đo lịch sử số {i}: hội nghị triển khai nghị quyết của Tỉnh ủy",
                slug=f"{PREFIX}{i}",
                summary="Tóm tắt bài viết để đo chi phí lưu phiên bản.",
                body=bodies[i % len(bodies)],
                category=category,
                status=Article.Status.PUBLISHED,
                publish_at=now,
            )  # fmt: skip
        )
        if len(batch) == 2000:
            Article.objects.bulk_create(batch)
            batch = []
    if batch:
        Article.objects.bulk_create(batch)
    print(f"seeded {n - have} articles")


def time_saves(ids, *, with_revision: bool, user) -> tuple[float, float]:
    """(median ms per save, queries per save)."""
    import reversion
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from news.admin import EDITABLE_ON_CHANGE
    from news.models import Article

    times, queries = [], 0
    for pk in ids:
        article = Article.objects.get(pk=pk)
        article.summary = f"Sửa lúc {time.time()}"
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            if with_revision:
                with reversion.create_revision():
                    reversion.set_user(user)
                    reversion.set_comment("Sửa")
                    article.save(update_fields=EDITABLE_ON_CHANGE)
            else:
                article.save(update_fields=EDITABLE_ON_CHANGE)
            times.append((time.perf_counter() - start) * 1000)
        queries += len(ctx.captured_queries)
    return statistics.median(times), queries / len(ids)


def table_bytes(*names: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        total = 0
        for name in names:
            cursor.execute("SELECT pg_total_relation_size(%s)", [name])
            total += cursor.fetchone()[0]
        return total


def version_all(user, limit: int, chunk: int = 500) -> None:
    """One version (one revision) for up to `limit` benchmark articles that have none."""
    import reversion
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from reversion.models import Version

    from news.models import Article

    ct = ContentType.objects.get_for_model(Article)
    done = set(
        Version.objects.filter(content_type=ct).values_list("object_id", flat=True).iterator()
    )
    todo = [
        pk
        for pk in Article.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True)
        if str(pk) not in done
    ][: max(0, limit - len(done))]
    start = time.perf_counter()
    for i in range(0, len(todo), chunk):
        # One commit per chunk: the size is what is measured here, not the commit rate.
        with transaction.atomic():
            for article in Article.objects.filter(pk__in=todo[i : i + chunk]):
                with reversion.create_revision():
                    reversion.set_user(user)
                    reversion.add_to_revision(article)
    if todo:
        print(f"versioned {len(todo)} articles in {time.perf_counter() - start:.0f} s")


def drop() -> None:
    from django.contrib.contenttypes.models import ContentType
    from reversion.models import Revision, Version

    from news.models import Article

    ct = ContentType.objects.get_for_model(Article)
    ids = [
        str(pk)
        for pk in Article.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True)
    ]
    revisions = Version.objects.filter(content_type=ct, object_id__in=ids).values("revision_id")
    Revision.objects.filter(pk__in=revisions).delete()
    Article.objects.filter(slug__startswith=PREFIX).delete()
    print("dropped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument(
        "--versions", type=int, default=5000,
        help="articles given a version for the size measure (the rest is extrapolated)",
    )  # fmt: skip
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    setup_django()
    if args.drop:
        drop()
        return
    from django.contrib.auth.models import User
    from reversion.models import Version

    from news.models import Article

    seed(args.articles)
    user, _ = User.objects.get_or_create(username=f"{PREFIX}bientap", defaults={"is_staff": True})
    ids = list(
        Article.objects.filter(slug__startswith=PREFIX)
        .order_by("?")
        .values_list("pk", flat=True)[: args.saves]
    )
    time_saves(ids[:20], with_revision=True, user=user)  # warm-up
    plain_ms, plain_q = time_saves(ids, with_revision=False, user=user)
    rev_ms, rev_q = time_saves(ids, with_revision=True, user=user)
    print(f"save without history: {plain_ms:.2f} ms median, {plain_q:.1f} queries")
    print(f"save with history:    {rev_ms:.2f} ms median, {rev_q:.1f} queries "
          f"(+{rev_ms - plain_ms:.2f} ms, +{rev_q - plain_q:.1f} queries)")  # fmt: skip

    version_all(user, args.versions)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reversion_version; ANALYZE reversion_revision")
    n_versions = Version.objects.count()
    history = table_bytes("reversion_version", "reversion_revision")
    articles = table_bytes("news_article")
    per_version = history / n_versions
    print(f"versions: {n_versions:,}; reversion tables {history / 2**20:.1f} MiB "
          f"({per_version / 1024:.2f} KiB per version); news_article {articles / 2**20:.1f} MiB")  # fmt: skip
    for count, label in ((200_000, "one version each"), (1_000_000, "five versions each")):
        print(f"200,000 articles, {label}: {per_version * count / 2**30:.2f} GiB (extrapolated)")


if __name__ == "__main__":
    main()
