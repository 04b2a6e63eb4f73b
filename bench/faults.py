"""Faults under load, on a PostgreSQL server of this run only (bench/pgserver.py; the
machine's shared server is never stopped):

(a) database outage: readers (bench/load.py) read for --duration seconds; after
    --outage-at seconds the database is stopped (pg_ctl stop -m fast) for --outage
    seconds and started again. While it is away readers must get the Vietnamese
    "tạm thời gián đoạn" page with status 503; within five seconds of its return every
    page must answer again, by itself; and afterwards every counter must equal what was
    answered 200 (the counting buffers keep their counts through the outage and write
    them once the database is back). A request that was inside the view when the
    database went away may have counted and still failed: those are the only slack.
(b) a gunicorn worker killed (SIGKILL) mid-load: the master starts a new one, the
    others keep serving; only the request in flight on that worker may fail, and only
    the counts it had not yet flushed (at most STATS_FLUSH_INTERVAL, 1 s, of its share)
    are lost.

    .venv/bin/python bench/faults.py                 # no DATABASE_URL needed
    .venv/bin/python bench/faults.py --only outage --duration 30
"""

import argparse
import http.client
import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, load, pgserver, run  # noqa: E402

RECOVERY_LIMIT = 5.0  # seconds after the database is back


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=common.bounded(20, 300), default=40)
    parser.add_argument("--outage-at", type=common.bounded(3, 120), default=12)
    parser.add_argument("--outage", type=common.bounded(1, 60), default=10)
    parser.add_argument("--kill-at", type=common.bounded(3, 120), default=10)
    parser.add_argument("--readers", type=common.bounded(1, 256), default=32)
    parser.add_argument("-w", "--workers", type=common.bounded(2, 32), default=4)
    parser.add_argument("--only", choices=["outage", "kill"])
    args = parser.parse_args(argv)
    if args.outage_at + args.outage + RECOVERY_LIMIT + 3 > args.duration:
        parser.error("--duration must leave time after the outage and the recovery")
    if args.kill_at + 5 > args.duration:
        parser.error("--duration must leave time after the kill")
    return args


class Prober(threading.Thread):
    """GET /healthz (one query) every 0.1 s as a script: when did the portal answer?"""

    def __init__(self, base_url: str, origin: float):
        super().__init__(daemon=True)
        self.base_url = base_url
        self.origin = origin
        self.samples: list[tuple[float, int]] = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            start = time.monotonic() - self.origin
            try:
                status, _, _ = load.fetch(
                    self.base_url, "GET", "/healthz", {"User-Agent": common.SCRIPT_UA}, timeout=5
                )
            except (OSError, http.client.HTTPException):
                status = 0
            self.samples.append((start, status))
            self.done.wait(0.1)


def outage(server, pg, plan, args) -> dict:
    generator = load.Load(
        [server.base_url], plan, threads=args.readers, seconds=args.duration,
        nonce=common.run_nonce(), timeout=20,
    )  # fmt: skip
    generator.start()
    while not generator.began:
        time.sleep(0.01)
    prober = Prober(server.base_url, generator.began)
    prober.start()
    time.sleep(max(0.0, args.outage_at - (time.monotonic() - generator.began)))
    common.say(f"database stop (pg_ctl stop -m fast) for {args.outage}s")
    down_begin = time.monotonic() - generator.began
    pg.stop()
    down = time.monotonic() - generator.began  # from here no connection can be made
    time.sleep(args.outage)
    common.say("database start")
    pg.start()
    back = time.monotonic() - generator.began
    tally = generator.join()
    prober.done.set()
    prober.join()

    during = [e for e in tally.events if e.start >= down and e.end <= back]
    statuses = Counter(e.status for e in during)
    outage_pages = sum(1 for e in during if e.outage_page)
    other_failures = [e for e in during if e.status not in (200, 302) and not e.outage_page]
    # Requests under way when the database went: may have counted, then failed.
    in_flight = [
        e
        for e in tally.events
        if e.start < down and e.end > down_begin and e.status not in (200, 302)
    ]
    first_health = next((t for t, s in prober.samples if t >= back and s == 200), None)
    first_ok_by_kind = {}
    for e in sorted(tally.events, key=lambda e: e.start):
        if e.start >= back and e.status in (200, 302):
            first_ok_by_kind.setdefault(e.kind, round(e.end - back, 2))
    late_failures = [
        e for e in tally.events if e.start >= back + RECOVERY_LIMIT and e.status not in (200, 302)
    ]
    before_failures = [e for e in tally.events if e.end < down_begin and e.status not in (200, 302)]
    return {
        "tally": tally,
        "window": {"down": round(down, 2), "back": round(back, 2)},
        "during": {
            "requests": len(during),
            "statuses": dict(statuses),
            "outage_pages_503": outage_pages,
            "other_failures": Counter(f"{e.kind} {e.status or e.error}" for e in other_failures),
            "ok_from_page_cache": statuses.get(200, 0),
        },
        "in_flight_failed": len(in_flight),
        "healthz_back_after_s": None if first_health is None else round(first_health - back, 2),
        "first_success_after_s": first_ok_by_kind,
        "failures_after_recovery_limit": len(late_failures),
        "failures_before_outage": len(before_failures),
    }


def worker_kill(server, plan, args) -> dict:
    import psutil

    master = psutil.Process(server.proc.pid)
    generator = load.Load(
        [server.base_url], plan, threads=args.readers, seconds=args.duration,
        nonce=common.run_nonce(), timeout=20,
    )  # fmt: skip
    generator.start()
    while not generator.began:
        time.sleep(0.01)
    time.sleep(max(0.0, args.kill_at - (time.monotonic() - generator.began)))
    workers = {p.pid for p in master.children()}
    victim = min(workers)
    common.say(f"SIGKILL worker {victim} (of {sorted(workers)})")
    killed_at = time.monotonic() - generator.began
    os.kill(victim, signal.SIGKILL)
    replaced_after = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = {p.pid for p in master.children()}
        if victim not in now and len(now) >= len(workers):
            replaced_after = round(time.monotonic() - generator.began - killed_at, 2)
            break
        time.sleep(0.05)
    tally = generator.join()
    failed = [e for e in tally.events if e.status not in (200, 302)]
    near = [e for e in failed if e.start <= killed_at <= e.end + 0.05]
    elsewhere = [e for e in failed if e not in near]
    page_rate = tally.page_views / (generator.ended - generator.began)
    return {
        "tally": tally,
        "killed_at": round(killed_at, 2),
        "workers": len(workers),
        "replaced_after_s": replaced_after,
        "failed_in_flight": Counter(f"{e.kind} {e.status or e.error}" for e in near),
        "failed_elsewhere": Counter(f"{e.kind} {e.status or e.error}" for e in elsewhere),
        "page_views_per_worker_second": page_rate / len(workers),
    }


def main(argv) -> int:
    args = parse_args(argv)
    common.stop_on_sigterm()
    report: dict = {"when": datetime.now().isoformat(timespec="seconds")}
    ok = True
    with pgserver.EmbeddedPostgres() as pg, common.Workdir() as work:
        os.environ["DATABASE_URL"] = pg.create_database("portal")
        common.setup_django()
        article, big, root = run.prepare(work, argparse.Namespace(articles=common.N_ARTICLES))
        plan = load.make_plan(work, article, big, root)
        env = common.server_env(work.static, work.cache, args.workers)
        env.update(DOCUMENTS_ROOT=str(root), COMMENT_CAPTCHA="0")

        if args.only in (None, "outage"):
            before = load.counters()
            with common.Server(env, work.path / "outage.log") as server:
                common.say(f"(a) {args.readers} readers for {args.duration}s, database away "
                           f"from {args.outage_at}s for {args.outage}s")  # fmt: skip
                result = outage(server, pg, plan, args)
                common.say("graceful stop (workers flush)")
                result["graceful_stop"] = server.stop()
                result["server_error_lines"] = len(server.problems())
            after = load.counters()
            result["counters"] = load.compare(before, after, result["tally"])
            ok &= print_outage(result)
            report["outage"] = strip(result)

        if args.only in (None, "kill"):
            before = load.counters()
            with common.Server(env, work.path / "kill.log") as server:
                common.say(f"(b) {args.readers} readers for {args.duration}s, a worker "
                           f"killed at {args.kill_at}s")  # fmt: skip
                result = worker_kill(server, plan, args)
                common.say("graceful stop (workers flush)")
                result["graceful_stop"] = server.stop()
            after = load.counters()
            result["counters"] = load.compare(before, after, result["tally"])
            ok &= print_kill(result)
            report["kill"] = strip(result)

    out = run.RESULTS_DIR / f"faults-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print(f"results: {out.relative_to(common.ROOT)}")
    return 0 if ok else 1


def strip(result: dict) -> dict:
    tally = result.pop("tally")
    result["requests"] = sum(tally.statuses.values())
    result["statuses"] = {str(k): v for k, v in tally.statuses.items()}
    return result


def print_outage(r: dict) -> bool:
    tally = r["tally"]
    during = r["during"]
    print("\n(a) database outage")
    print(
        f"requests: {sum(tally.statuses.values()):,}, statuses {dict(sorted(tally.statuses.items()))}"
    )
    print(
        f"database away {r['window']['down']:.1f}s -> {r['window']['back']:.1f}s: "
        f"{during['requests']} requests, statuses {during['statuses']}; "
        f"{during['outage_pages_503']} got the 503 'tạm thời gián đoạn' page, "
        f"{during['ok_from_page_cache']} a 200 (page cache), other: {dict(during['other_failures']) or 'none'}"
    )  # fmt: skip
    print(
        f"back: /healthz answered 200 {r['healthz_back_after_s']}s after the database; "
        f"first success per kind (s): {r['first_success_after_s']}"
    )
    print(
        f"failures more than {RECOVERY_LIMIT:.0f}s after the return: "
        f"{r['failures_after_recovery_limit']}; before the outage: {r['failures_before_outage']}; "
        f"failed while in flight at the stop: {r['in_flight_failed']}"
    )
    load.print_comparison(r["counters"])
    slack = r["in_flight_failed"]
    counts_ok = all(-slack <= row["lost"] <= 0 for row in r["counters"].values())
    recovered = (
        r["healthz_back_after_s"] is not None and r["healthz_back_after_s"] <= RECOVERY_LIMIT
    )
    ok = (
        counts_ok
        and recovered
        and not r["failures_after_recovery_limit"]
        and not r["failures_before_outage"]
        and not during["other_failures"]
        and r["graceful_stop"]
    )
    print(
        f"counts: {'exact' if all(row['lost'] == 0 for row in r['counters'].values()) else 'within the in-flight slack' if counts_ok else 'OFF'}; "
        f"recovered by itself in {RECOVERY_LIMIT:.0f}s: {'yes' if recovered else 'NO'}; "
        f"verdict: {'ok' if ok else 'FAIL'}"
    )  # fmt: skip
    return ok


def print_kill(r: dict) -> bool:
    tally = r["tally"]
    print("\n(b) a worker killed")
    print(
        f"requests: {sum(tally.statuses.values()):,}, statuses {dict(sorted(tally.statuses.items()))}"
    )
    print(
        f"killed at {r['killed_at']:.1f}s; replaced after {r['replaced_after_s']}s; "
        f"failed (in flight on it): {dict(r['failed_in_flight']) or 'none'}; "
        f"failed elsewhere: {dict(r['failed_elsewhere']) or 'none'}"
    )
    load.print_comparison(r["counters"])
    lost = r["counters"]["page_views"]["lost"]
    share = r["page_views_per_worker_second"]
    seconds = lost / share if share else 0
    print(
        f"page views lost: {lost} = {seconds:.2f} s of one worker's share "
        f"({share:.0f} page views/s per worker); the README allows up to 1 s "
        "(STATS_FLUSH_INTERVAL)"
    )
    in_flight = sum(r["failed_in_flight"].values())
    ok = (
        r["replaced_after_s"] is not None
        and in_flight <= 1
        and not r["failed_elsewhere"]
        and all(row["lost"] >= 0 for row in r["counters"].values())
        and seconds <= 1.5
        and r["graceful_stop"]
    )
    print(f"verdict: {'ok' if ok else 'FAIL'}")
    return ok


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
