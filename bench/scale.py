"""The benchmark at the size of years of use: is each page within 1.5x its small-data
latency, and does it make the same number of queries?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/scale.py
    make bench ARGS=--scale          # the same, through bench/run.py --scale

In a database of its own (the DATABASE_URL database's name + "_scale", made afresh and
dropped at the end unless --keep), on the same server:

1. bench/run.py on the benchmark's small data (1,000 articles, 1,000 documents);
2. manage.py bench_scale: 200,000 articles, 20,000 documents, 1,000,000 comments and
   three years of visit statistics, then ANALYZE (timed);
3. bench/run.py again, the same pages, now among all those rows;
4. the comparison, page by page: p50 and queries at both sizes.

Each bench/run.py is a process of its own with its own gunicorn; the figures of each run
are in bench/results/scale-<time>-{small,large}.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

RESULTS_DIR = Path(__file__).resolve().parent / "results"
LIMIT = 1.5  # a page's p50 at scale may be at most this many times its small-data p50
SLACK_MS = 2.0  # below this, a difference is noise


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--duration", type=common.bounded(7, 60), default=9)
    parser.add_argument("-c", "--connections", type=common.bounded(1, 256), default=16)
    parser.add_argument("-t", "--threads", type=common.bounded(1, 16), default=2)
    parser.add_argument("-w", "--workers", type=common.bounded(1, 32), default=4)
    parser.add_argument("--articles", type=common.bounded(1000, 5_000_000), default=200_000)
    parser.add_argument("--documents", type=common.bounded(0, 5_000_000), default=20_000)
    parser.add_argument("--comments", type=common.bounded(0, 5_000_000), default=1_000_000)
    parser.add_argument(
        "--keep", action="store_true", help="keep the scale database (default: drop it)"
    )
    return parser.parse_args(argv)


def scale_url(url: str) -> tuple[str, str]:
    """The URL and name of the scale database next to the one of `url`."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "portal"
    name = f"{name}_scale"
    return urlunsplit(parts._replace(path="/" + name)), name


def admin_connection(url: str):
    """A connection to the server's "postgres" database, for CREATE/DROP DATABASE."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    conn = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


def recreate(url: str, name: str, drop_only: bool = False) -> None:
    if not name.endswith("_scale"):
        raise ValueError(f"refusing to drop {name!r}: not a scale database")
    conn = admin_connection(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not drop_only:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def bench_run(env: dict, out: Path, args) -> int:
    cmd = [
        sys.executable, "bench/run.py", "--out", str(out),
        "-d", str(args.duration), "-c", str(args.connections), "-t", str(args.threads),
        "-w", str(args.workers),
    ]  # fmt: skip
    return subprocess.run(cmd, cwd=common.ROOT, env=env, check=False).returncode


def main(argv) -> int:
    args = parse_args(argv)
    common.stop_on_sigterm()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("DATABASE_URL is not set: run `make bench ARGS=--scale`, or set it")
    big_url, name = scale_url(url)
    # The bench's settings: bench_scale is a command of the bench app, unknown to production.
    env = dict(os.environ, DATABASE_URL=big_url, DJANGO_SETTINGS_MODULE="bench.settings")
    env.setdefault("HTTPS", "0")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    small_out = RESULTS_DIR / f"scale-{stamp}-small.json"
    large_out = RESULTS_DIR / f"scale-{stamp}-large.json"
    common.say(f"database {name} (made afresh; dropped at the end unless --keep)")
    recreate(url, name)
    try:
        common.say("1/3 the benchmark on small data")
        small_code = bench_run(env, small_out, args)
        common.say(
            f"2/3 bench_scale: {args.articles:,} articles, {args.documents:,} documents, "
            f"{args.comments:,} comments, 3 years of statistics"
        )
        began = time.monotonic()
        subprocess.run(
            [
                sys.executable, "manage.py", "bench_scale", "--articles", str(args.articles),
                "--documents", str(args.documents), "--comments", str(args.comments),
            ],
            cwd=common.ROOT, env=env, check=True,
        )  # fmt: skip
        fill_seconds = time.monotonic() - began
        common.say("3/3 the benchmark again, at that size")
        large_code = bench_run(env, large_out, args)
        sizes = table_sizes(big_url)
    finally:
        if not args.keep:
            common.say(f"drop {name}")
            recreate(url, name, drop_only=True)
    small = json.loads(small_out.read_text())
    large = json.loads(large_out.read_text())
    ok = compare(small, large, fill_seconds, sizes)
    summary = RESULTS_DIR / f"scale-{stamp}.json"
    summary.write_text(
        json.dumps(
            {
                "fill_seconds": round(fill_seconds, 1),
                "rows": sizes,
                "small": str(small_out.name),
                "large": str(large_out.name),
                "ok": ok,
                "counting_ok": [small_code == 0, large_code == 0],
            },
            indent=2,
        )
    )
    print(f"results: {os.path.relpath(summary, common.ROOT)} (+ -small.json, -large.json)")
    if small_code or large_code:
        print("WARNING: a bench/run.py reported a failed check (see its output above)")
    return 0 if ok and not (small_code or large_code) else 1


def table_sizes(url: str) -> dict[str, int]:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    conn = psycopg2.connect(
        dbname=config["NAME"],
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                """
                SELECT (SELECT count(*) FROM news_article), (SELECT count(*) FROM documents_document),
                       (SELECT count(*) FROM comments_comment),
                       (SELECT count(*) FROM stats_dailytraffic),
                       (SELECT count(*) FROM stats_pageviews),
                       pg_database_size(current_database())
                """
            )
            row = cursor.fetchone()
    finally:
        conn.close()
    names = ["articles", "documents", "comments", "stat_days", "page_rows", "database_bytes"]
    return dict(zip(names, row, strict=True))


def within(small_ms: float, large_ms: float) -> bool:
    """At most LIMIT times slower; differences under SLACK_MS are noise, not growth."""
    return large_ms <= small_ms * LIMIT or large_ms - small_ms < SLACK_MS


def compare(small: dict, large: dict, fill_seconds: float, sizes: dict) -> bool:
    """Page by page: the time of one request alone, in-process with the page cache off
    (the page's own work, no queueing: the verdict), the queries, and wrk's p50 (shown
    next to the baseline page's, which tells how much the shared machine moved between
    the two runs: too much to judge by)."""
    print(
        f"\nfilled in {fill_seconds:.0f} s: {sizes['articles']:,} articles, "
        f"{sizes['documents']:,} documents, {sizes['comments']:,} comments, "
        f"{sizes['stat_days']:,} days of statistics ({sizes['page_rows']:,} page rows); "
        f"database {sizes['database_bytes'] / 2**30:.1f} GiB"
    )
    header = (
        f"{'page':<22} {'alone small':>12} {'alone large':>12} {'x':>7} {'queries':>8} "
        f"{'p50 small':>10} {'p50 large':>10} {'x':>6} {'verdict':>8}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    a, b = _baseline_p50(small), _baseline_p50(large)
    print(
        f"{'baseline (the machine)':<22} {'-':>12} {'-':>12} {'-':>7} {'-':>8} "
        f"{a / 1000:>8.1f}ms {b / 1000:>8.1f}ms {b / a:>5.2f}x {'':>8}"
    )
    ok = True
    for name in small["order"]:
        if name.startswith("baseline"):
            continue
        a, b = _p50(small, name), _p50(large, name)
        answered = large["results"][name]["requests"] > 0
        factor = b / a if a and answered else float("inf")
        alone_a = small["render_ms"][name]
        alone_b = large["render_ms"][name]
        qa, qb = small["queries"][name], large["queries"][name]
        good = answered and within(alone_a, alone_b) and qa == qb
        ok &= good
        print(
            f"{name:<22} {alone_a:>10.1f}ms {alone_b:>10.1f}ms "
            f"{alone_b / alone_a if alone_a else 0:>6.2f}x {f'{qa} / {qb}':>8} "
            f"{a / 1000:>8.1f}ms {(f'{b / 1000:.1f}ms' if answered else 'no answer'):>10} "
            f"{factor:>5.2f}x {'ok' if good else 'NO':>8}"
        )
    print(
        f"\nok: the time alone within {LIMIT}x (or under {SLACK_MS:.0f} ms more), the same "
        "queries, and wrk got answers. p50 is wrk's at -c16 against 4 workers (queueing "
        "included; with PAGE_CACHE the cached copy); how far the baseline page's p50 moved "
        "between the runs is how much the machine, not the data, moved them."
    )
    return ok


def _baseline_p50(run: dict) -> float:
    """The mean p50 of the baseline runs (at the start and, since it exists, the end)."""
    values = [
        r["latency_us"]["p50"] for name, r in run["results"].items() if name.startswith("baseline")
    ]
    return sum(values) / len(values)


def _p50(run: dict, name: str) -> float:
    return run["results"][name]["latency_us"]["p50"]


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
