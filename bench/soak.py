"""Soak: 64 concurrent readers for two minutes over a realistic mix, then every counter
must equal what the load generator counted, and no answer may be a 5xx.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/soak.py
    ... bench/soak.py --duration 30          # a quick run

The readers (bench/load.py) are Python threads, one request at a time each, every reader
a new address: mostly article reads, then home and category pages, searches, the library,
document pages and downloads (small PDFs, the 5 MB one now and then), votes and comments.
gunicorn runs with the production settings of bench/run.py (4 sync workers, PAGE_CACHE as
in production, PROXY_COUNT=1) on the benchmark's data. After a graceful stop (workers
flush) the page views, visits and readers of the day and hour tables and the per-page
rows, the article views (counter and daily rows), document views, file and document
downloads, votes and comments must all have moved by exactly what was sent.
"""

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, load, run  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--duration", type=common.bounded(5, 900), default=120, help="seconds (default 120)"
    )
    parser.add_argument("--readers", type=common.bounded(1, 256), default=64)
    parser.add_argument("-w", "--workers", type=common.bounded(1, 32), default=4)
    return parser.parse_args(argv)


def report_events(tally: load.Tally, seconds: float) -> None:
    total = sum(tally.statuses.values())
    print(
        f"\n{total:,} requests in {seconds:.0f} s ({total / seconds:.0f}/s); "
        f"statuses {dict(sorted(tally.statuses.items()))}"
    )
    print(f"{'kind':<10} {'requests':>9} {'p50':>9} {'p99':>9}")
    for kind, n, p50, p99 in load.latency_table(tally.events):
        print(f"{kind:<10} {n:>9,} {p50:>7.1f}ms {p99:>7.1f}ms")
    if tally.failures:
        print(f"not as expected: {dict(tally.failures)}")


def main(argv) -> int:
    args = parse_args(argv)
    common.stop_on_sigterm()
    common.setup_django()
    with common.Workdir() as work:
        run_args = argparse.Namespace(articles=common.N_ARTICLES)
        article, big, root = run.prepare(work, run_args)
        plan = load.make_plan(work, article, big, root)
        env = common.server_env(work.static, work.cache, args.workers)
        env.update(DOCUMENTS_ROOT=str(root), COMMENT_CAPTCHA="0")
        before = load.counters()
        with common.Server(env, work.log) as server:
            common.say(f"{args.readers} readers for {args.duration}s")
            began = time.monotonic()
            generator = load.Load(
                [server.base_url], plan, threads=args.readers, seconds=args.duration,
                nonce=common.run_nonce(),
            )  # fmt: skip
            tally = generator.run()
            elapsed = time.monotonic() - began
            common.say("graceful stop (SIGTERM: workers flush their counts)")
            graceful = server.stop()
            problems = server.problems()
        after = load.counters()

    rows = load.compare(before, after, tally)
    report_events(tally, elapsed)
    load.print_comparison(rows)
    errors_5xx = sum(n for status, n in tally.statuses.items() if status >= 500)
    no_answer = tally.statuses.get(0, 0)
    lost = {name: row["lost"] for name, row in rows.items() if row["lost"]}
    print(f"\n5xx: {errors_5xx}; no answer: {no_answer}; counters off: {lost or 'none'}")
    if not graceful:
        print("WARNING: gunicorn did not stop gracefully")
    if problems:
        print(f"WARNING: {len(problems)} error lines in the gunicorn log, first: {problems[0]}")

    out = run.RESULTS_DIR / f"soak-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "when": datetime.now().isoformat(timespec="seconds"),
                "settings": {"readers": args.readers, "duration_s": args.duration,
                             "workers": args.workers},
                "requests": sum(tally.statuses.values()),
                "seconds": round(elapsed, 1),
                "statuses": {str(k): v for k, v in tally.statuses.items()},
                "by_kind": dict(tally.by_kind),
                "latency_ms": load.latency_table(tally.events),
                "counters": rows,
                "failures": {f"{k[0]} {k[1]}": v for k, v in tally.failures.items()},
                "graceful_stop": graceful,
                "server_errors": problems[:20],
            },
            indent=2,
        )
    )  # fmt: skip
    print(f"results: {out.relative_to(common.ROOT)}")
    ok = not errors_5xx and not no_answer and not lost and graceful and not tally.failures
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
