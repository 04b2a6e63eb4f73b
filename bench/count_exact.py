"""Concurrency check of view counting: many readers at once, no count lost or doubled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/count_exact.py

64 threads (one urllib request at a time each) read the benchmark article under gunicorn,
every thread as its own readers (distinct X-Forwarded-For, PROXY_COUNT=1). Each reader
reads the page `--repeat` times, so the same reader is often served by two workers whose
buffers both hold the view: it must still count once. After a graceful stop (workers
flush on exit) the article's view_count must have grown by exactly the number of distinct
readers that got a 200.
"""

import argparse
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=common.bounded(1, 256), default=64)
    parser.add_argument(
        "-n",
        "--requests",
        type=common.bounded(1, 1000),
        default=20,
        help="requests per thread (default 20)",
    )
    parser.add_argument(
        "--repeat",
        type=common.bounded(1, 10),
        default=2,
        help="requests per reader (default 2: tests the dedup across workers)",
    )
    parser.add_argument("-w", "--workers", type=common.bounded(1, 32), default=4)
    parser.add_argument(
        "--kill",
        action="store_true",
        help="stop gunicorn with SIGKILL instead: shows the check can fail",
    )
    args = parser.parse_args(argv)
    if args.kill:
        args.repeat = 1  # a repeat ends each reader's run: its first view is long flushed
    return args


def read_concurrently(url: str, args, nonce: tuple[int, int]):
    """Return ({address: statuses}, failures): every request's outcome by reader."""
    outcomes: dict[str, list[int]] = {}
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(args.threads)

    def reader_thread(t: int) -> None:
        start.wait()
        for i in range(args.requests):
            address = f"2001:db8:{nonce[0]:x}:{nonce[1]:x}:{t:x}::{i // args.repeat:x}"
            headers = {"User-Agent": common.BROWSER_UA, "X-Forwarded-For": address}
            try:
                status, _ = common.get(url, headers, timeout=30)
            except OSError as error:
                with lock:
                    failures.append(f"{address}: {error}")
                continue
            with lock:
                outcomes.setdefault(address, []).append(status)

    threads = [threading.Thread(target=reader_thread, args=(t,)) for t in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, failures


def main(argv) -> int:
    args = parse_args(argv)
    common.stop_on_sigterm()
    common.setup_django()
    nonce = common.run_nonce()
    with common.Workdir() as work:
        article = common.prepare(work)
        env = common.server_env(work.static, work.cache, args.workers)
        before = common.article_views(article.pk)
        with common.Server(env, work.log) as server:
            url = server.base_url + article.get_absolute_url()
            total = args.threads * args.requests
            common.say(
                f"{args.threads} threads x {args.requests} requests "
                f"({args.repeat} per reader) = {total} requests"
            )
            began = time.monotonic()
            outcomes, failures = read_concurrently(url, args, nonce)
            elapsed = time.monotonic() - began
            if args.kill:
                common.say("SIGKILL (no flush): the last second of counts should be lost")
                server.kill()
                graceful = True  # on purpose; the lost counts are the point
            else:
                common.say("graceful stop (SIGTERM: workers flush their counts)")
                graceful = server.stop()
            log_tail = server.log_tail()
            problems = server.problems()
        after = common.article_views(article.pk)

    statuses = Counter(s for seen in outcomes.values() for s in seen)
    expected = sum(1 for seen in outcomes.values() if 200 in seen)
    counted = after - before
    lost = expected - counted
    print(
        f"\nrequests: {total} in {elapsed:.1f}s ({total / elapsed:.0f}/s); statuses {dict(statuses)}"
    )
    print(f"distinct readers with a 200: {expected}; view_count {before} -> {after} (+{counted})")
    if failures:
        print(f"{len(failures)} requests failed (may or may not have counted), e.g. {failures[0]}")
    if not graceful:
        print("WARNING: gunicorn did not stop gracefully")
        print(log_tail)
    if problems:
        print(f"WARNING: {len(problems)} error lines in the gunicorn log, first: {problems[0]}")
    print(f"lost counts: {lost}" + (" (negative: counted twice)" if lost < 0 else ""))
    if args.kill:
        return 0 if lost > 0 else 1  # the check must see what a crash loses
    return 0 if lost == 0 and graceful and not failures else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
