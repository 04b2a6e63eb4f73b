"""Made-up visit history for benchmarks and demos: aggregates only, written by a few
INSERT ... SELECT FROM generate_series statements (three years in well under a minute)."""

import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from stats import blocks, counting, services
from stats.models import DailyTraffic, HourlyTraffic

# Share of a day's page views per hour (0h..23h): quiet nights, a morning and an evening peak.
HOUR_WEIGHTS = [
    0.8, 0.5, 0.4, 0.3, 0.4, 1.0, 2.5, 4.5, 6.5, 7.0, 6.8, 6.0,
    5.2, 5.0, 5.5, 5.8, 5.5, 4.8, 4.5, 5.5, 6.2, 5.8, 3.8, 1.9,
]  # fmt: skip
REFERRERS = [
    ("www.google.com", 0.16), ("www.google.com.vn", 0.05), ("m.facebook.com", 0.06),
    ("l.facebook.com", 0.03), ("coccoc.com", 0.02), ("zalo.me", 0.015),
    ("baobinhphuoc.com.vn", 0.01), ("binhphuoc.gov.vn", 0.008), ("www.bing.com", 0.004),
    ("nhandan.vn", 0.003), ("tuyengiao.vn", 0.003), ("duckduckgo.com", 0.001),
]  # fmt: skip
CLIENTS = [
    ("browser", "Chrome", 0.44), ("browser", "Safari", 0.21), ("browser", "Cốc Cốc", 0.12),
    ("browser", "Facebook", 0.08), ("browser", "Zalo", 0.06),
    ("browser", "Samsung Internet", 0.04), ("browser", "Firefox", 0.02),
    ("browser", "Edge", 0.02), ("browser", "other", 0.01),
    ("os", "Android", 0.54), ("os", "iOS", 0.29), ("os", "Windows", 0.13),
    ("os", "macOS", 0.02), ("os", "iPadOS", 0.01), ("os", "other", 0.01),
    ("device", "phone", 0.80), ("device", "desktop", 0.17), ("device", "tablet", 0.03),
]  # fmt: skip
ANALYZED = [
    "stats_dailytraffic", "stats_hourlytraffic", "stats_pageviews", "stats_objectviews",
    "stats_breakdown",
]  # fmt: skip
ZIPF = 0.9
CATEGORY_RANKS = 12  # ranks 2..12 are section pages, 1 is the home page


def parse_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ: {raw!r} (dạng 2026-01-31).") from None


class Command(BaseCommand):
    help = (
        "Sinh số liệu truy cập giả (chỉ các bảng tổng hợp) cho đo hiệu năng: mặc định "
        "3 năm, 50.000 lượt xem trang mỗi ngày, kết thúc hôm qua."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3 * 365 + 1)
        parser.add_argument("--end", type=parse_day, help="ngày cuối (mặc định: hôm qua)")
        parser.add_argument("--per-day", type=int, default=50_000, help="lượt xem trang/ngày")
        parser.add_argument("--pages", type=int, default=1500, help="số trang khác nhau/ngày")
        parser.add_argument("--objects", type=int, default=1200, help="số bài khác nhau/ngày")
        parser.add_argument("--kind", default="article", help="loại đếm của bài (article)")
        parser.add_argument("--seed", type=float, default=0.42)
        parser.add_argument(
            "--replace", action="store_true", help="xoá số liệu đã có trong khoảng ngày"
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ in, không ghi")

    def handle(self, *args, **opt):
        if not 1 <= opt["days"] <= 20 * 366:
            raise CommandError("--days phải từ 1 đến 7320.")
        if opt["per_day"] < 1 or opt["pages"] <= CATEGORY_RANKS or opt["objects"] < 1:
            raise CommandError("--per-day, --objects phải dương; --pages phải lớn hơn 12.")
        if not -1 <= opt["seed"] <= 1:
            raise CommandError("--seed phải từ -1 đến 1.")
        end = opt["end"] or timezone.localdate() - timedelta(days=1)
        start = end - timedelta(days=opt["days"] - 1)
        verbose = opt["verbosity"] > 0
        existing = max(
            model.objects.filter(day__gte=start, day__lte=end).values("day").distinct().count()
            for model in (DailyTraffic, HourlyTraffic)
        )
        if existing and not opt["replace"]:
            raise CommandError(
                f"Đã có số liệu của {existing} ngày trong khoảng {start} – {end}; "
                "thêm --replace để thay."
            )
        ids = self.object_ids(opt["kind"])
        pages = min(opt["pages"], CATEGORY_RANKS + len(ids))
        objects = min(opt["objects"], pages - CATEGORY_RANKS)
        if verbose:
            self.stdout.write(
                f"{start} – {end}: {opt['days']} ngày × {opt['per_day']:,} lượt xem trang, "
                f"{pages} trang và {objects} bài mỗi ngày"
                + (f"; xoá số liệu cũ của {existing} ngày" if existing else "")
            )
        if opt["dry_run"]:
            self.stdout.write("--dry-run: không ghi gì.")
            return
        began = time.monotonic()
        with transaction.atomic():
            if opt["replace"]:
                services.stats_delete_days(first=start, last=end)
            self.generate(start, end, opt, ids, pages, objects)
            services.stats_rebuild_months(first=start, last=end)
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner knows the tables grew (autovacuum would,
            # later): the dashboard's plans depend on it.
            for table in ANALYZED:
                cursor.execute(f"ANALYZE {table}")
        blocks.invalidate()
        if verbose:
            self.stdout.write(self.style.SUCCESS(f"Xong trong {time.monotonic() - began:.1f} s."))

    def object_ids(self, kind: str) -> list[int]:
        """Ids of the counted objects when they exist (so the dashboard has titles),
        else made-up ones."""
        try:
            model = counting.registered(kind).model
        except KeyError:
            return list(range(1, 5001))
        ids = list(model._default_manager.order_by("-pk").values_list("pk", flat=True)[:20000])
        return ids or list(range(1, 5001))

    def generate(self, start, end, opt, ids, pages, objects) -> None:
        hours = [w / sum(HOUR_WEIGHTS) for w in HOUR_WEIGHTS]
        norm = sum(r**-ZIPF for r in range(1, pages + 1))
        params = {
            "start": start,
            "end": end,
            "per_day": opt["per_day"],
            "hours": hours,
            "norm": norm,
            "pages": pages,
            "objects": objects,
            "ids": ids,
            "n_ids": len(ids),
            "kind": opt["kind"],
            "zipf": ZIPF,
            "top": CATEGORY_RANKS,
            "seed": opt["seed"],
            "ref_hosts": [h for h, _ in REFERRERS],
            "ref_shares": [s for _, s in REFERRERS],
            "c_dims": [d for d, _, _ in CLIENTS],
            "c_values": [v for _, v, _ in CLIENTS],
            "c_shares": [s for _, _, s in CLIENTS],
        }
        statements = [
            ("ngày", "SELECT setseed(%(seed)s)"),
            # Big joins, sorted in memory; no JIT compile for a one-off.
            ("ngày", "SET LOCAL work_mem = '128MB'"),
            ("ngày", "SET LOCAL jit = off"),
            (
                "ngày",
                """
                CREATE TEMP TABLE gen_days ON COMMIT DROP AS
                SELECT d::date AS day, (row_number() OVER (ORDER BY d) - 1)::int AS i,
                       %(per_day)s * (0.8 + 0.4 * random())
                       * CASE WHEN extract(isodow FROM d) >= 6 THEN 0.8 ELSE 1.0 END AS pv
                FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') d
                """,
            ),
            (
                "bài",
                """
                CREATE TEMP TABLE gen_ids ON COMMIT DROP AS
                SELECT n::int, id FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS x(id, n)
                """,
            ),
            (
                "giờ",
                """
                INSERT INTO stats_hourlytraffic (day, hour, page_views, visits, readers)
                SELECT g.day, h.n - 1, round(g.pv * h.w), round(g.pv * h.w * 0.37),
                       round(g.pv * h.w * 0.31)
                FROM gen_days g
                CROSS JOIN unnest(%(hours)s::float8[]) WITH ORDINALITY AS h(w, n)
                """,
            ),
            (
                "ngày",
                """
                INSERT INTO stats_dailytraffic (day, page_views, visits, readers)
                SELECT day, sum(page_views), sum(visits), round(sum(readers) * 0.8)
                FROM stats_hourlytraffic WHERE day BETWEEN %(start)s AND %(end)s GROUP BY day
                """,
            ),
            (
                "trang",
                """
                CREATE TEMP TABLE gen_pages ON COMMIT DROP AS
                SELECT t.day, r,
                       -- float8 throughout: power() on numeric is a thousand times slower
                       greatest(1, round(t.page_views::float8 * 0.9::float8
                                         * power(r::float8, -%(zipf)s::float8)
                                         / %(norm)s::float8))::bigint AS n,
                       ids.id AS object_id
                FROM gen_days g JOIN stats_dailytraffic t USING (day)
                CROSS JOIN generate_series(1, %(pages)s) r
                LEFT JOIN gen_ids ids
                    ON r > %(top)s AND ids.n = ((r + g.i * 7) %% %(n_ids)s) + 1
                """,
            ),
            (
                "trang",
                """
                INSERT INTO stats_pageviews (bucket, day, path, n)
                SELECT 'd', day, CASE
                    WHEN r = 1 THEN '/'
                    WHEN object_id IS NULL THEN '/chuyen-muc/muc-' || r || '/'
                    ELSE '/bai-viet/tin-' || object_id || '/' END AS path, n
                FROM gen_pages ORDER BY day, path  -- index order: appends, not page splits
                """,
            ),
            (
                "bài",
                """
                INSERT INTO stats_objectviews (bucket, day, kind, object_id, n)
                SELECT 'd', day, %(kind)s, object_id, greatest(1, round(n * 0.85))
                FROM gen_pages WHERE object_id IS NOT NULL AND r <= %(top)s + %(objects)s
                ORDER BY day, object_id
                """,
            ),
            (
                "phân loại",
                """
                INSERT INTO stats_breakdown (bucket, day, dimension, value, n)
                SELECT 'd', t.day, 'referrer', x.host, greatest(1, round(t.page_views * x.share))
                FROM stats_dailytraffic t
                CROSS JOIN unnest(%(ref_hosts)s::text[], %(ref_shares)s::float8[]) AS x(host, share)
                WHERE t.day BETWEEN %(start)s AND %(end)s
                UNION ALL
                SELECT 'd', t.day, x.dim, x.value, greatest(1, round(t.readers * x.share))
                FROM stats_dailytraffic t
                CROSS JOIN unnest(%(c_dims)s::text[], %(c_values)s::text[], %(c_shares)s::float8[])
                     AS x(dim, value, share)
                WHERE t.day BETWEEN %(start)s AND %(end)s
                UNION ALL
                SELECT 'd', day, 'kind', %(kind)s, sum(n) FROM stats_objectviews
                WHERE bucket = 'd' AND kind = %(kind)s AND day BETWEEN %(start)s AND %(end)s
                GROUP BY day
                """,
            ),
        ]
        # ON COMMIT DROP is not enough inside a caller's transaction (tests): drop them.
        statements.append(("xong", "DROP TABLE gen_days, gen_ids, gen_pages"))
        with connection.cursor() as cursor:
            for label, sql in statements:
                began = time.monotonic()
                cursor.execute(sql, params)
                if opt["verbosity"] > 1:
                    took = time.monotonic() - began
                    self.stdout.write(f"  {label}: {cursor.rowcount} dòng, {took:.1f} s")
