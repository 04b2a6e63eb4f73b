"""Benchmark: the article page against a no-database baseline page of the same size, under
gunicorn as in production, then a check that every view was counted.

    make bench                      # or, with a database of your own:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/run.py

Steps: migrate, collect static files into a temporary folder, seed the benchmark's own
articles (once), start gunicorn on a free 127.0.0.1 port, measure /_bench/baseline/ and
the article page with wrk (every request a new reader), stop gunicorn gracefully and
compare the article's view_count with the number of readers sent. See bench/README.md.
"""

import argparse
import json
import platform
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
LUA = BENCH_DIR / "readers.lua"
TAIL_SECONDS = 4  # the last seconds of a run repeat known readers (see readers.lua)
WRK_TIMEOUT = "3s"  # shorter than the tail: a slower answer is an error, not a lost count
WARMUP_SECONDS = 2


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "-d",
        "--duration",
        type=common.bounded(TAIL_SECONDS + 3, 120),
        default=10,
        help="seconds per page (default 10)",
    )
    parser.add_argument("-c", "--connections", type=common.bounded(1, 256), default=16)
    parser.add_argument("-t", "--threads", type=common.bounded(1, 16), default=2)
    parser.add_argument(
        "-w",
        "--workers",
        type=common.bounded(1, 32),
        default=4,
        help="gunicorn workers (default 4)",
    )
    parser.add_argument(
        "--articles",
        type=common.bounded(10, 20_000),
        default=common.N_ARTICLES,
        help="articles to seed in an empty database (default 1000)",
    )
    args = parser.parse_args(argv)
    args.threads = min(args.threads, args.connections)
    return args


def wrk_path() -> str:
    path = shutil.which("wrk") or "/usr/bin/wrk"
    if not Path(path).exists():
        sys.exit("wrk is not installed (apt-get install wrk)")
    return path


def warm_up(url: str) -> None:
    """Load code, templates and the cache in every worker; a bot user agent, not counted."""
    subprocess.run(
        [wrk_path(), "-t1", "-c4", f"-d{WARMUP_SECONDS}s", "-H", "User-Agent: wrk/4.1", url],
        capture_output=True,
        timeout=WARMUP_SECONDS + 30,
        check=True,
    )


def measure(url: str, args, nonce: tuple[int, int]) -> dict:
    cmd = [
        wrk_path(), f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        "--latency", "--timeout", WRK_TIMEOUT, "-s", str(LUA),
        "-H", f"User-Agent: {common.BROWSER_UA}",
        url, "--", str(nonce[0]), str(nonce[1]), str(args.duration), str(TAIL_SECONDS),
    ]  # fmt: skip
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=args.duration + 60, check=True
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH_JSON ")]
    if not lines:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    result = json.loads(lines[-1].removeprefix("BENCH_JSON "))
    seconds = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / seconds if seconds else 0.0
    result["socket_errors"] = sum(
        result["errors"][k] for k in ("connect", "read", "write", "timeout")
    )
    result["wrk_output"] = done.stdout
    return result


def ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f} ms"


def print_table(rows: list[tuple[str, dict]], baseline_rps: float) -> None:
    header = f"{'page':<10} {'req/s':>9} {'p50':>9} {'p99':>9} {'non-2xx':>8} {'errors':>7} {'vs baseline':>12}"
    print()
    print(header)
    print("-" * len(header))
    for name, r in rows:
        ratio = r["rps"] / baseline_rps if baseline_rps else 0.0
        print(
            f"{name:<10} {r['rps']:>9.1f} {ms(r['latency_us']['p50']):>9} "
            f"{ms(r['latency_us']['p99']):>9} {r['non2xx']:>8} {r['socket_errors']:>7} "
            f"{ratio:>11.0%}"
        )


def main(argv) -> int:
    args = parse_args(argv)
    common.stop_on_sigterm()
    common.setup_django()
    nonce = common.run_nonce()
    with common.Workdir() as work:
        article = common.prepare(work, args.articles)
        env = common.server_env(work.static, work.cache, args.workers)
        before = common.article_views(article.pk)
        with common.Server(env, work.log) as server:
            article_url = server.base_url + article.get_absolute_url()
            status, html = common.get(article_url)
            if status != 200:
                raise RuntimeError(f"article page answered {status}:\n{server.log_tail()}")
            size = len(html)
            baseline_url = f"{server.base_url}/_bench/baseline/?size={size}"
            status, body = common.get(baseline_url)
            if status != 200 or len(body) != size:
                raise RuntimeError(f"baseline answered {status}, {len(body)} bytes")

            common.say(f"warm-up {WARMUP_SECONDS}s per page")
            warm_up(baseline_url)
            warm_up(article_url)
            common.say(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s: baseline")
            baseline = measure(baseline_url, args, nonce)
            common.say(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s: article")
            page = measure(article_url, args, nonce)
            common.say("graceful stop (SIGTERM: workers flush their counts)")
            graceful = server.stop()
            log_tail = server.log_tail()
            problems = server.problems()
        after = common.article_views(article.pk)

    counted = after - before
    expected = page["distinct"]
    lost = expected - counted
    failed = page["non2xx"] + page["socket_errors"]
    ratio = page["rps"] / baseline["rps"] if baseline["rps"] else 0.0

    print_table([("baseline", baseline), ("article", page)], baseline["rps"])
    print(f"\nHTML size: article {size:,} bytes, baseline {size:,} bytes")
    print(
        f"readers sent: {expected:,} distinct (+{page['repeats']:,} repeats in the last "
        f"{TAIL_SECONDS}s); view_count {before:,} -> {after:,} (+{counted:,})"
    )
    if failed:
        print(
            f"lost counts: {lost} (inconclusive: {failed} requests failed; "
            "each may or may not have been counted)"
        )
    else:
        print(f"lost counts: {lost}")
    if not graceful:
        print("WARNING: gunicorn did not stop gracefully; unflushed counts were lost")
        print(log_tail)
    if problems:
        print(f"WARNING: {len(problems)} error lines in the gunicorn log, first: {problems[0]}")
    verdict = "meets" if ratio >= 0.5 else "BELOW"
    print(f"article/baseline: {ratio:.0%} ({verdict} the 50% goal)")

    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = RESULTS_DIR / f"run-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now().isoformat(timespec="seconds"),
                "machine": {"cpus": _cpus(), "python": platform.python_version()},
                "settings": {
                    "workers": args.workers,
                    "threads": args.threads,
                    "connections": args.connections,
                    "duration_s": args.duration,
                    "tail_s": TAIL_SECONDS,
                    "article": article.get_absolute_url(),
                },  # fmt: skip
                "html_bytes": size,
                "baseline": baseline,
                "article": page,
                "ratio": ratio,
                "counting": {
                    "before": before,
                    "after": after,
                    "counted": counted,
                    "expected": expected,
                    "lost": lost,
                    "failed_requests": failed,
                    "graceful_stop": graceful,
                    "server_errors": problems[:20],
                },  # fmt: skip
            },
            indent=2,
        )
    )
    print(f"results: {out.relative_to(common.ROOT)}")
    return 0 if lost == 0 and graceful and not failed else 1


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
