"""Beyond one machine: several gunicorn instances (as on several machines) against one
PostgreSQL, here a server of this run only with pg_stat_statements (bench/pgserver.py).

1. Exactness: --instances servers on different ports; readers (bench/load.py) send each
   reader's requests to the instances in turn, so one reader is served by every
   instance. Then "Đang truy cập" must count each reader once: the block's number on a
   page and its query (stats.blocks) against the distinct readers sent in the last five
   minutes; and after a graceful stop every counter must equal what was sent.
2. Statistics writes: for 1..--instances instances and two loads (wrk -c4 and -c32 on
   each instance, every request a new reader of the article), the statistics write
   transactions per second the database sees (pg_stat_statements: the flush's daily
   total upsert runs once per flush), against the requests per second. They must grow
   with the instances (each worker flushes at most once a second), not with the requests.
   (At -c4 two workers on this 2-core machine are already saturated by cached pages, so
   the light load is -c1.)

    .venv/bin/python bench/multi.py                  # no DATABASE_URL needed
    .venv/bin/python bench/multi.py --duration 20 --wrk-seconds 6
"""

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, load, pgserver, run, wrk  # noqa: E402

ONLINE_RE = re.compile(r'data-stat="online">[^<]*<strong>([\d.,\s]+)</strong>')
LOADS = (1, 32)  # wrk connections per instance: a light and a heavy load

STATS_SQL = r"""
    SELECT coalesce(sum(calls) FILTER (WHERE query ILIKE '%%INSERT INTO stats_dailytraffic%%'), 0),
           coalesce(sum(calls) FILTER (
               WHERE query ~* '^\s*(WITH|INSERT|UPDATE|DELETE)' AND query ILIKE '%%stats\_%%'), 0),
           coalesce(sum(calls), 0)
    FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = %s)
"""


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=common.bounded(2, 4), default=3)
    parser.add_argument("-w", "--workers", type=common.bounded(1, 8), default=2,
                        help="workers per instance (default 2)")  # fmt: skip
    parser.add_argument("--readers", type=common.bounded(1, 256), default=48)
    parser.add_argument("--duration", type=common.bounded(5, 240), default=40,
                        help="seconds of the exactness run (default 40)")  # fmt: skip
    parser.add_argument("--wrk-seconds", type=common.bounded(5, 60), default=8)
    return parser.parse_args(argv)


def online_on_page(base_url: str) -> int | None:
    """The "Đang truy cập" number of a page (the block is re-rendered on every view)."""
    status, _, body = load.fetch(
        base_url, "GET", "/tim-kiem/?q=" + quote(secrets.token_hex(4)),
        {"User-Agent": common.SCRIPT_UA},
    )  # fmt: skip
    match = ONLINE_RE.search(body.decode("utf-8", "replace"))
    if status != 200 or not match:
        return None
    return int(re.sub(r"\D", "", match.group(1)))


def exactness(envs, work, plan, args) -> dict:
    from django.db import connection

    from stats import blocks

    before = load.counters()
    with ExitStack() as stack:
        servers = [
            stack.enter_context(common.Server(env, work.path / f"exact-{i}.log"))
            for i, env in enumerate(envs)
        ]
        common.say(
            f"{args.readers} readers for {args.duration}s over {len(servers)} instances "
            "(each reader's requests go to the instances in turn)"
        )
        generator = load.Load(
            [s.base_url for s in servers], plan, threads=args.readers, seconds=args.duration,
            nonce=common.run_nonce(), keep_events=True,
        )  # fmt: skip
        tally = generator.run()
        # Wait until every worker has flushed its readers (each flushes every second;
        # a busy machine can delay that), then ask.
        began = time.monotonic()
        while time.monotonic() - began < 20:
            if load.counters()["readers"] - before["readers"] >= len(tally.readers):
                break
            time.sleep(0.25)
        flush_wait = time.monotonic() - began
        online_query = blocks._query()["online"]
        connection.close()
        online_pages = [online_on_page(s.base_url) for s in servers]
        served = [len(v) for v in tally.served_by.values()]
        instances_per_reader = sum(served) / len(served) if served else 0.0
        several = sum(1 for n in served if n > 1)
        common.say("graceful stop of every instance (workers flush)")
        graceful = all([s.stop() for s in servers])
        problems = [line for s in servers for line in s.problems()]
        logs = "".join(s.log_path.read_text(errors="replace") for s in servers)
        failed_flushes = logs.count("stats flush failed")
        deadlocks = logs.count("DeadlockDetected")
    after = load.counters()
    return {
        "tally": tally,
        "seconds": round(generator.ended - generator.began, 1),
        "readers_sent": len(tally.readers),
        "online_query": online_query,
        "online_pages": online_pages,
        "instances_per_reader": instances_per_reader,
        "readers_on_several_instances": several,
        "counters": load.compare(before, after, tally),
        "flush_wait_s": round(flush_wait, 2),
        "graceful_stop": graceful,
        "server_errors": problems[:10],
        "failed_flushes": failed_flushes,
        "deadlocks": deadlocks,
    }


def write_rates(envs, work, pg, database: str, article_path: str, args) -> list[dict]:
    rows = []
    with ExitStack() as stack:
        servers = [
            stack.enter_context(common.Server(env, work.path / f"rates-{i}.log"))
            for i, env in enumerate(envs)
        ]
        for server in servers:
            wrk.warm_up(server.base_url + article_path)
        for n in range(1, len(servers) + 1):
            for connections in LOADS:
                rows.append(rate_cell(servers[:n], pg, database, article_path, connections, args))
                r = rows[-1]
                common.say(
                    f"{n} instance(s), -c{connections} each: {r['rps']:.0f} req/s, "
                    f"{r['flushes_per_s']:.1f} flushes/s, {r['stats_writes_per_s']:.1f} "
                    f"statistics statements/s"
                )
        for server in servers:
            server.stop()
    return rows


def rate_cell(servers, pg, database, article_path, connections, args) -> dict:
    time.sleep(1.5)  # the previous cell's last flushes are done
    pg.sql("SELECT pg_stat_statements_reset()", database)
    commits_before = _commits(pg, database)
    duration = args.wrk_seconds
    procs = []
    for server in servers:
        nonce = common.run_nonce()
        cmd = [
            wrk.wrk_path(), f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s",
            "--latency", "--timeout", wrk.WRK_TIMEOUT, "-s", str(wrk.READERS_LUA),
            "-H", f"User-Agent: {common.BROWSER_UA}", server.base_url + article_path,
            "--", str(nonce[0]), str(nonce[1]), str(duration), str(wrk.TAIL_SECONDS),
        ]  # fmt: skip
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True))
    requests = errors = 0
    for proc in procs:
        out, _ = proc.communicate(timeout=duration + 60)
        line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
        result = json.loads(line.removeprefix("BENCH_JSON "))
        requests += result["requests"]
        errors += result["non2xx"] + sum(result["errors"][k] for k in ("connect", "read", "write", "timeout"))  # fmt: skip
    flushes, writes, statements = pg.sql(STATS_SQL, database, [database])[0]
    time.sleep(1.0)  # backends report their transaction counts at most once a second
    commits = _commits(pg, database) - commits_before
    return {
        "instances": len(servers),
        "connections_each": connections,
        "requests": requests,
        "errors": errors,
        "rps": requests / duration,
        "flushes_per_s": int(flushes) / duration,
        "stats_writes_per_s": int(writes) / duration,
        "statements_per_s": int(statements) / duration,
        "commits_per_s": commits / duration,
    }


def _commits(pg, database: str) -> int:
    (row,) = pg.sql("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", database, [database])  # fmt: skip
    return int(row[0])


def main(argv) -> int:
    args = parse_args(argv)
    common.stop_on_sigterm()
    report: dict = {"when": datetime.now().isoformat(timespec="seconds")}
    with pgserver.EmbeddedPostgres(preload=("pg_stat_statements",)) as pg, common.Workdir() as work:
        database = "portal"
        os.environ["DATABASE_URL"] = pg.create_database(database)
        pg.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", database)
        common.setup_django()
        article, big, root = run.prepare(work, argparse.Namespace(articles=common.N_ARTICLES))
        plan = load.make_plan(work, article, big, root)
        env = common.server_env(work.static, work.cache, args.workers)
        # The block's own cache off, so its number on a page is the query's, now.
        env.update(DOCUMENTS_ROOT=str(root), COMMENT_CAPTCHA="0",
                   STATS_BLOCK_CACHE_SECONDS="0")  # fmt: skip
        envs = [dict(env) for _ in range(args.instances)]

        exact = exactness(envs, work, plan, args)
        rows = write_rates(envs, work, pg, database, article.get_absolute_url(), args)

    ok = print_exactness(exact) & print_rates(rows)
    exact.pop("tally")
    report.update(exactness=exact, write_rates=rows, ok=ok)
    out = run.RESULTS_DIR / f"multi-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"results: {out.relative_to(common.ROOT)}")
    return 0 if ok else 1


def print_exactness(r: dict) -> bool:
    tally = r["tally"]
    total = sum(tally.statuses.values())
    print(
        f"\n1. {total:,} requests in {r['seconds']}s over the instances; statuses "
        f"{dict(sorted(tally.statuses.items()))}; a reader was served by "
        f"{r['instances_per_reader']:.1f} instances on average "
        f"({r['readers_on_several_instances']:,} readers by more than one)"
    )
    load.print_comparison(r["counters"])
    sent = r["readers_sent"]
    pages = r["online_pages"]
    print(
        f"\n'Đang truy cập': {sent:,} distinct readers sent in the last 5 minutes; "
        f"the block's query says {r['online_query']:,}; the block on each instance's page "
        f"says {pages} (asked {r['flush_wait_s']}s after the load, once all was flushed)"
    )
    if r["failed_flushes"]:
        print(
            f"flushes that failed and were retried (their counts kept for the next one): "
            f"{r['failed_flushes']}, of which deadlocks between flushers: {r['deadlocks']}"
        )
    ok = (
        all(row["lost"] == 0 for row in r["counters"].values())
        and r["online_query"] == sent
        and all(p == sent for p in pages)
        and not any(s >= 500 or s == 0 for s in tally.statuses)
        and r["graceful_stop"]
    )
    print(f"verdict: {'ok' if ok else 'FAIL'}")
    return ok


def print_rates(rows: list[dict]) -> bool:
    print("\n2. statistics writes seen by PostgreSQL (pg_stat_statements)")
    header = (
        f"{'instances':>9} {'conns each':>10} {'req/s':>8} {'flushes/s':>10} "
        f"{'per 1k req':>10} {'stats stmts/s':>13} {'all stmts/s':>11} {'errors':>7}"
    )
    print(header + "\n" + "-" * len(header))
    for r in rows:
        print(
            f"{r['instances']:>9} {r['connections_each']:>10} {r['rps']:>8.0f} "
            f"{r['flushes_per_s']:>10.1f} {1000 * r['flushes_per_s'] / max(r['rps'], 1):>10.2f} "
            f"{r['stats_writes_per_s']:>13.1f} {r['statements_per_s']:>11.0f} {r['errors']:>7}"
        )
    # Flushes per second per instance at the light and the heavy load.
    ok = True
    for n in sorted({r["instances"] for r in rows}):
        light, heavy = (next(r for r in rows if r["instances"] == n and r["connections_each"] == c) for c in LOADS)  # fmt: skip
        grows_with_requests = heavy["flushes_per_s"] > 1.5 * light["flushes_per_s"] + 1
        ok &= not grows_with_requests and not light["errors"] and not heavy["errors"]
    return ok


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
