"""Benchmark of visit statistics (stats/): what the page-view middleware costs, whether
any counted page view is lost, and how fast the dashboard and the block are on three
years of history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/stats_middleware.py

1. Throughput, in one run: two gunicorn servers side by side (4 sync workers each, the
   same production environment), one with STATS_MIDDLEWARE=1 and one with
   STATS_MIDDLEWARE=0; wrk reads the article page on each in turn, several rounds, every
   request a new reader (bench/readers.lua: the worst case for the buffer, every view a
   new reader and visit). The figure is on/off of the requests per second.
2. Lost counts: a fresh server; 64 threads read for a minute (each reader opens the
   article and then the home page); graceful stop. Every 200 must be in the daily and
   hourly page views, the per-page rows (day and month), every distinct reader in the
   readers and visits, every reader of the article in its view count and its daily row.
3. Render time: three years of 50,000 page views a day (generate_stats, once per
   database), then the dashboard for the last whole year and for all three years, and
   the block's query, timed in this process (median of 5, the first run shown apart).
"""

import argparse
import json
import statistics
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, run  # noqa: E402

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "-d",
        "--duration",
        type=common.bounded(run.TAIL_SECONDS + 3, 120),
        default=8,
        help="seconds per wrk run (default 8)",
    )
    parser.add_argument("-r", "--rounds", type=common.bounded(1, 10), default=3)
    parser.add_argument("-c", "--connections", type=common.bounded(1, 256), default=16)
    parser.add_argument("-t", "--threads", type=common.bounded(1, 16), default=2)
    parser.add_argument("-w", "--workers", type=common.bounded(1, 32), default=4)
    parser.add_argument("--readers", type=common.bounded(1, 256), default=64)
    parser.add_argument(
        "--seconds", type=common.bounded(5, 600), default=60, help="lost-count run (60)"
    )
    parser.add_argument(
        "--skip", choices=["throughput", "lost", "render"], action="append", default=[]
    )
    parser.add_argument(
        "--kill",
        action="store_true",
        help="end the lost-count run with SIGKILL: shows what a crash loses (about a second)",
    )
    args = parser.parse_args(argv)
    args.threads = min(args.threads, args.connections)
    return args


# --- 1. throughput --------------------------------------------------------------------------


def throughput(work, article, args) -> dict:
    env_on = common.server_env(work.static, work.cache, args.workers)
    env_off = dict(env_on, STATS_MIDDLEWARE="0")
    runs: dict[str, list[dict]] = {"on": [], "off": []}
    with (
        common.Server(env_on, work.path / "on.log") as on,
        common.Server(env_off, work.path / "off.log") as off,
    ):
        servers = {"on": on, "off": off}
        urls = {name: s.base_url + article.get_absolute_url() for name, s in servers.items()}
        for name, url in urls.items():
            status, _ = common.get(url)
            if status != 200:
                raise RuntimeError(f"{name}: article answered {status}")
            run.warm_up(url)
        for round_ in range(args.rounds):
            # Alternate which goes first, so a drift of the machine hits both alike.
            order = ["off", "on"] if round_ % 2 == 0 else ["on", "off"]
            for name in order:
                common.say(f"round {round_ + 1}/{args.rounds}: middleware {name}")
                result = run.measure(urls[name], args, common.run_nonce())
                result.pop("wrk_output", None)
                runs[name].append(result)
                common.say(
                    f"  {result['rps']:.1f} req/s, p50 {run.ms(result['latency_us']['p50'])}"
                )
        graceful = on.stop() and off.stop()
        problems = on.problems() + off.problems()

    def rps(results):
        return sum(r["requests"] for r in results) / (sum(r["duration_us"] for r in results) / 1e6)

    failed = sum(r["non2xx"] + r["socket_errors"] for rs in runs.values() for r in rs)
    on_rps, off_rps = rps(runs["on"]), rps(runs["off"])
    pairs = [a["rps"] / b["rps"] for a, b in zip(runs["on"], runs["off"], strict=True)]
    return {
        "on_rps": on_rps,
        "off_rps": off_rps,
        "ratio": on_rps / off_rps if off_rps else 0.0,
        "median_round_ratio": statistics.median(pairs),
        "rounds": args.rounds,
        "per_round": {k: [round(r["rps"], 1) for r in v] for k, v in runs.items()},
        "failed_requests": failed,
        "graceful_stop": graceful,
        "server_errors": problems[:10],
    }


def micro_cost(n: int = 20_000) -> dict:
    """In this process, without the noise of a shared machine: the middleware's work per
    page view (every view a new reader, the worst case), and the flush's database work per
    page view (written in a transaction that is then rolled back)."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.http import HttpResponse
    from django.test import RequestFactory

    from stats import counting
    from stats.middleware import PageViewMiddleware

    settings.STATS_FLUSH_INTERVAL = 0  # no background flusher here: flushed below, timed
    response = HttpResponse("<p>bench</p>")
    middleware = PageViewMiddleware(lambda request: response)
    factory = RequestFactory(HTTP_USER_AGENT=common.BROWSER_UA, HTTP_HOST=common.HOST)
    requests = [
        factory.get(
            "/_bench/stats-micro/",
            REMOTE_ADDR=f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
            HTTP_REFERER="https://www.google.com/",
        )
        for i in range(n)
    ]
    middleware(requests[0])  # today's salt
    counting.buffer._take()
    began = time.perf_counter()
    for request in requests:
        middleware(request)
    per_view_us = (time.perf_counter() - began) / n * 1e6
    pending = counting.buffer.pending_page_views()

    class RollbackError(Exception):
        pass

    began = time.perf_counter()
    try:
        with transaction.atomic():
            counting.buffer.flush()
            raise RollbackError
    except RollbackError:
        pass
    flush_us = (time.perf_counter() - began) / n * 1e6
    counting.buffer._take()
    connection.close()
    return {
        "views": n,
        "buffered": pending,
        "middleware_us_per_view": round(per_view_us, 1),
        "flush_us_per_view": round(flush_us, 1),
    }


# --- 2. lost counts ---------------------------------------------------------------------------


def totals(article) -> dict[str, int]:
    """Every counter the run must move, summed over all days."""
    from django.db import connection
    from django.db.models import Sum

    from news.models import Article
    from stats.models import DailyTraffic, HourlyTraffic, ObjectViews, PageViews

    def pages(bucket):
        return (
            PageViews.objects.filter(
                bucket=bucket, path__in=[article.get_absolute_url(), "/"]
            ).aggregate(n=Sum("n"))["n"]
            or 0
        )

    daily = DailyTraffic.objects.aggregate(pv=Sum("page_views"), v=Sum("visits"), r=Sum("readers"))
    result = {
        "page_views": daily["pv"] or 0,
        "visits": daily["v"] or 0,
        "readers": daily["r"] or 0,
        "hourly_page_views": HourlyTraffic.objects.aggregate(n=Sum("page_views"))["n"] or 0,
        "page_rows_day": pages("d"),
        "page_rows_month": pages("m"),
        "article_view_count": Article.objects.get(pk=article.pk).view_count,
        "article_rows_day": ObjectViews.objects.filter(
            bucket="d", kind="article", object_id=article.pk
        ).aggregate(n=Sum("n"))["n"]
        or 0,
    }
    connection.close()
    return result


def read_for(base_url: str, article_path: str, args) -> dict:
    """64 readers for `args.seconds`: each reader opens the article, then the home page."""
    nonce = common.run_nonce()
    deadline = time.monotonic() + args.seconds
    lock = threading.Lock()
    sent = {"ok": 0, "article_readers": 0, "readers": 0, "failed": 0, "non200": 0}
    start = threading.Barrier(args.readers)

    def reader_thread(t: int) -> None:
        start.wait()
        i = 0
        while time.monotonic() < deadline:
            address = f"2001:db8:{nonce[0]:x}:{nonce[1]:x}:{t:x}::{i:x}"
            headers = {"User-Agent": common.BROWSER_UA, "X-Forwarded-For": address}
            i += 1
            got = []
            for path in (article_path, "/"):
                try:
                    status, _ = common.get(base_url + path, headers, timeout=30)
                except OSError:
                    with lock:
                        sent["failed"] += 1
                    continue
                got.append((path, status))
            with lock:
                ok = [p for p, s in got if s == 200]
                sent["ok"] += len(ok)
                sent["non200"] += len(got) - len(ok)
                sent["readers"] += 1 if ok else 0
                sent["article_readers"] += 1 if article_path in ok else 0

    threads = [threading.Thread(target=reader_thread, args=(t,)) for t in range(args.readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent


def lost_counts(work, article, args) -> dict:
    env = common.server_env(work.static, work.cache, args.workers)
    before = totals(article)
    with common.Server(env, work.path / "lost.log") as server:
        common.say(f"{args.readers} readers for {args.seconds}s (article, then home page)")
        began = time.monotonic()
        sent = read_for(server.base_url, article.get_absolute_url(), args)
        elapsed = time.monotonic() - began
        if args.kill:
            common.say("SIGKILL (no flush): the last second or so of counts is lost")
            server.kill()
            graceful = False
        else:
            common.say("graceful stop (SIGTERM: workers flush their buffers)")
            graceful = server.stop()
        problems = server.problems()
    after = totals(article)
    moved = {k: after[k] - before[k] for k in after}
    expected = {
        "page_views": sent["ok"],
        "hourly_page_views": sent["ok"],
        "page_rows_day": sent["ok"],
        "page_rows_month": sent["ok"],
        "visits": sent["readers"],
        "readers": sent["readers"],
        "article_view_count": sent["article_readers"],
        "article_rows_day": sent["article_readers"],
    }
    lost = {k: expected[k] - moved[k] for k in expected}
    return {
        "seconds": round(elapsed, 1),
        "requests_per_second": round((sent["ok"] + sent["non200"]) / elapsed, 1),
        "sent": sent,
        "counted": moved,
        "lost": lost,
        "graceful_stop": graceful,
        "server_errors": problems[:10],
    }


# --- 3. render time -----------------------------------------------------------------------


def render_times() -> dict:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory, override_settings
    from django.utils import timezone

    from stats import blocks, views
    from stats.models import DailyTraffic

    end = timezone.localdate() - timedelta(days=1)
    start = end - timedelta(days=3 * 365)
    have = DailyTraffic.objects.filter(day__gte=start, day__lte=end).count()
    if have < 3 * 365 + 1:
        common.say("generate_stats: 3 years x 50,000 page views a day (once per database)")
        began = time.monotonic()
        call_command("generate_stats", "--days", str(3 * 365 + 1), "--end", str(end), "--replace")
        common.say(f"  {time.monotonic() - began:.0f}s")
    user, _ = User.objects.get_or_create(
        username="bench-thong-ke", defaults={"is_staff": True, "is_superuser": True}
    )
    factory = RequestFactory(HTTP_HOST=common.HOST)
    # This process has no collected static files (the servers had theirs): plain names.
    plain = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    plain.enable()

    def dashboard(query: dict):
        request = factory.get("/admin/thong-ke/", query)
        request.user = user
        blocks.invalidate()  # the block's query is part of the page
        response = views.dashboard(request)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def block():
        return len(render_to_string("stats/block.html", {"totals": blocks._query()}))

    cases = {
        f"dashboard, year {end.year - 1}": lambda: dashboard({"nam": end.year - 1}),
        "dashboard, 3 years by day": lambda: dashboard({"tu": str(start), "den": str(end)}),
        "dashboard, last 30 days": lambda: dashboard({}),
        "block (uncached)": block,
    }
    results = {}
    for name, case in cases.items():
        timings = []
        for _ in range(6):
            began = time.perf_counter()
            case()
            timings.append((time.perf_counter() - began) * 1000)
        results[name] = {
            "first_ms": round(timings[0], 1),
            "median_ms": round(statistics.median(timings[1:]), 1),
        }
        common.say(f"{name}: first {timings[0]:.0f} ms, median {results[name]['median_ms']:.0f} ms")
    plain.disable()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM stats_dailytraffic UNION ALL SELECT count(*) FROM stats_pageviews "
            "UNION ALL SELECT count(*) FROM stats_objectviews"
        )
        rows = [r[0] for r in cursor.fetchall()]
    connection.close()
    results["rows"] = dict(zip(["daily", "pages", "objects"], rows, strict=True))
    return results


def main(argv) -> int:
    args = parse_args(argv)
    common.stop_on_sigterm()
    common.setup_django()
    report: dict = {"when": datetime.now().isoformat(timespec="seconds")}
    ok = True
    with common.Workdir() as work:
        article = common.prepare(work)
        if "throughput" not in args.skip:
            micro = report["micro"] = micro_cost()
            print(
                f"\nper page view, in process ({micro['views']:,} new readers): middleware "
                f"{micro['middleware_us_per_view']} µs, flush {micro['flush_us_per_view']} µs"
            )
            t = report["throughput"] = throughput(work, article, args)
            print(
                f"\nmiddleware on {t['on_rps']:.1f} req/s, off {t['off_rps']:.1f} req/s: "
                f"on/off {t['ratio']:.1%} (goal >= 90%), median of the rounds' ratios "
                f"{t['median_round_ratio']:.1%}; per round {t['per_round']}"
            )
            ok &= t["ratio"] >= 0.9 and not t["failed_requests"] and t["graceful_stop"]
        if "lost" not in args.skip:
            lost = report["lost_counts"] = lost_counts(work, article, args)
            print(f"\nsent {lost['sent']} in {lost['seconds']}s ({lost['requests_per_second']}/s)")
            print(f"counted {lost['counted']}")
            print(f"lost {lost['lost']} (every value must be 0)")
            if args.kill:
                rate = lost["sent"]["ok"] / lost["seconds"]
                print(f"(SIGKILL: {lost['lost']['page_views'] / rate:.1f}s of page views lost)")
            ok &= not any(lost["lost"].values()) and lost["graceful_stop"]
            ok &= not lost["sent"]["failed"] and not lost["sent"]["non200"]
        if "render" not in args.skip:
            render = report["render"] = render_times()
            print(f"\nrender times on {render['rows']}: ")
            for name, value in render.items():
                if name != "rows":
                    print(f"  {name}: {value}")
            ok &= all(v["median_ms"] < 1000 for k, v in render.items() if k != "rows")
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"stats-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"results: {out.relative_to(common.ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
