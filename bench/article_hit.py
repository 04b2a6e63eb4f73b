"""The cached article page against the baseline, alone (`make bench ARGS="--article-hit"`).

One gunicorn server with production settings and the page cache on; rounds of baseline,
article, baseline (every request a new reader, so each is a page-cache hit that counts a
view). `--path` measures another page the same way, and `PAGE_CACHE=0` in the environment
turns the page cache off (the server inherits it): `PAGE_CACHE=0 ... --path
/chuyen-muc/bench-1/` is the uncached category page against the baseline. Besides req/s it reads the CPU time the gunicorn workers spent (/proc, user +
system) and divides by the requests served: on a machine shared with other work, req/s
moves with the neighbours' load, CPU time per request much less, so the CPU ratio is the
steadier figure of what a hit costs against the baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/article_hit.py -r 3
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, wrk  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-r", "--rounds", type=common.bounded(1, 20), default=3)
    parser.add_argument(
        "-d", "--duration", type=common.bounded(wrk.TAIL_SECONDS + 3, 60), default=6
    )
    parser.add_argument("-c", "--connections", type=common.bounded(1, 256), default=16)
    parser.add_argument("-t", "--threads", type=common.bounded(1, 16), default=2)
    parser.add_argument("-w", "--workers", type=common.bounded(1, 32), default=4)
    parser.add_argument("--path", default="", help="another page than the benchmark article")
    args = parser.parse_args(argv)
    if args.path and not args.path.startswith("/"):
        parser.error("--path must start with /")
    args.threads = min(args.threads, args.connections)
    return args


def workers_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time of the gunicorn master's children (the workers)."""
    total = 0
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # a worker that was just replaced
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def measure(url: str, args, master_pid: int) -> tuple[float, float]:
    """(req/s, CPU microseconds per request) of one wrk run."""
    before = workers_cpu_seconds(master_pid)
    result = wrk.measure(url, args, common.run_nonce())
    spent = workers_cpu_seconds(master_pid) - before
    if not result["requests"] or result["non2xx"] or result["socket_errors"]:
        raise RuntimeError(f"{url}: {result['non2xx']} non-2xx, {result['socket_errors']} errors")
    return result["rps"], spent / result["requests"] * 1e6


def main(argv) -> int:
    args = parse_args(argv)
    common.stop_on_sigterm()
    common.setup_django()
    from django.conf import settings

    cached = settings.PAGE_CACHE  # the server reads the same environment
    rps_ratios, cpu_ratios = [], []
    with common.Workdir() as work:
        article = common.prepare(work, common.N_ARTICLES)
        env = common.server_env(work.static, work.cache, args.workers)
        with common.Server(env, work.log) as server:
            url = server.base_url + (args.path or article.get_absolute_url())
            status, body = common.get(url)
            if status != 200:
                raise RuntimeError(f"{url} answered {status}:\n{server.log_tail()}")
            baseline = f"{server.base_url}/_bench/baseline/?size={len(body)}"
            wrk.warm_up(baseline)
            wrk.warm_up(url)
            pid = server.proc.pid
            line = f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s"
            what = f"{args.path or 'the article'} (PAGE_CACHE={'on' if cached else 'off'})"
            common.say(f"{line}, {args.rounds} rounds of baseline, {what}, baseline")
            for n in range(1, args.rounds + 1):
                b1, b1_cpu = measure(baseline, args, pid)
                a, a_cpu = measure(url, args, pid)
                b2, b2_cpu = measure(baseline, args, pid)
                rps_ratios.append(a / ((b1 + b2) / 2))
                cpu_ratios.append(((b1_cpu + b2_cpu) / 2) / a_cpu)
                print(
                    f"round {n}: baseline {b1:,.0f} and {b2:,.0f} req/s "
                    f"({b1_cpu:.0f} and {b2_cpu:.0f} µs CPU/request), page {a:,.0f} req/s "
                    f"({a_cpu:.0f} µs CPU/request): req/s {rps_ratios[-1]:.0%}, "
                    f"CPU {cpu_ratios[-1]:.0%} of the baseline",
                    flush=True,
                )
            graceful = server.stop()
            problems = server.problems()
    print(
        f"\n{what} / baseline, median of {args.rounds}: req/s "
        f"{statistics.median(rps_ratios):.0%}, CPU per request {statistics.median(cpu_ratios):.0%} "
        "(issue 15's goals: a cache hit 85%; with PAGE_CACHE=0 the article 20%, other pages 15%)"
    )
    if problems:
        print(f"WARNING: {len(problems)} error lines in the gunicorn log, first: {problems[0]}")
    return 0 if graceful and not problems else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
