"""Benchmark (`make bench`): every kind of reader page under gunicorn with production
settings, against a no-database baseline page of the same size measured in the same run,
then a check that every view, download, comment and vote sent was counted exactly.

    make bench                      # or, with a database of your own:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/run.py
    python bench/run.py --scale     # the same at 200,000 articles (bench/scale.py)
    python bench/run.py --article-hit   # only the cached article (bench/article_hit.py)

Steps: migrate, collect static files into a temporary folder, seed the benchmark's own
articles and documents (once per database), count each page's queries in this process,
start gunicorn on a free 127.0.0.1 port, run wrk on each page in turn (every request a
new reader), stop gunicorn gracefully and compare the counters with what was sent. When
the settings have PAGE_CACHE, the article page is measured with it (production) and on a
second server with PAGE_CACHE=0. See bench/README.md.
"""

import argparse
import json
import os
import platform
import secrets
import statistics
import string
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, wrk  # noqa: E402

# Other scripts read these through run.* (they lived here first).
from bench.wrk import (  # noqa: E402, F401
    MAX_POST_SECONDS,
    TAIL_SECONDS,
    WARMUP_SECONDS,
    WRK_TIMEOUT,
    measure,
    ms,
    warm_up,
    wrk_path,
)

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
SEARCH = "?q=hoi+nghi+tong+ket"  # without diacritics: the accent-insensitive path
CATEGORY_SLUG = f"{common.SLUG_PREFIX}1"  # "Thời sự": a third of the articles
RATED_SLUG = f"{common.SLUG_PREFIX}3"
POSTED_SLUG = f"{common.SLUG_PREFIX}4"
BASELINE_END = "baseline (end)"
# Reader pages also measured with the page cache off (their own cost), on a server of their
# own, and the share of the baseline each must reach (issue 15); cache hits must reach 85%.
UNCACHED = {"home": 0.15, "category": 0.15, "article": 0.20, "library + filters": 0.15,
            "search": 0.15}  # fmt: skip
HIT_GOAL = 0.85
# Measured on the PAGE_CACHE=0 server around its runs; not rows of the table.
NO_CACHE_BASELINES = ("page-cache-off server: baseline", "page-cache-off server: baseline (end)")


def no_cache(name: str) -> str:
    return f"{name}, PAGE_CACHE=0"


@dataclass
class Page:
    name: str
    path: str
    kind: str = "get"  # "get" (readers.lua), "comment" or "rate" (comments.lua)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "-d",
        "--duration",
        type=common.bounded(TAIL_SECONDS + 3, 120),
        default=9,
        help="seconds per page (default 9)",
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
    parser.add_argument("--out", type=Path, help="write the JSON result here")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="run bench/scale.py instead, with its own options (see bench/scale.py -h)",
    )
    args = parser.parse_args(argv)
    args.threads = min(args.threads, args.connections)
    return args


def page_cache_setting() -> bool:
    """Whether this tree has the anonymous page cache (settings.PAGE_CACHE)."""
    from django.conf import settings

    return hasattr(settings, "PAGE_CACHE")


def pages(article, big_file) -> list[Page]:
    return [
        Page("home", "/"),
        Page("category", f"/chuyen-muc/{CATEGORY_SLUG}/"),
        Page("article", article.get_absolute_url()),
        Page("library + filters", "/van-ban/" + _documents().FILTERED),
        Page("download 5 MB", big_file.get_absolute_url()),
        Page("search", "/tim-kiem/" + SEARCH),
        Page("post comment", f"/bai-viet/{POSTED_SLUG}/binh-luan/", "comment"),
        Page("rate", f"/bai-viet/{RATED_SLUG}/danh-gia/", "rate"),
    ]


def _documents():
    from bench import documents  # imported late: it imports this module

    return documents


def comment_form(article_pk: int) -> str:
    from bench import comments

    return comments.comment_form(article_pk)


# --- data and counters --------------------------------------------------------------------


def prepare(work, args):
    """Migrate, static files, the benchmark's articles and documents; the 5 MB file is
    written to this run's DOCUMENTS_ROOT. Return (article, big file, documents root)."""
    from django.conf import settings

    article = common.prepare(work, args.articles)
    big = _documents().seed_documents(1000)
    root = work.path / "documents"
    settings.DOCUMENTS_ROOT = root
    _documents().write_big_file(root)
    return article, big, root


def snapshot(article_pk: int, file_pk: int) -> dict:
    from django.db import connection
    from django.db.models import Sum

    from comments.models import Comment, Rating, RatingTotal
    from documents.models import DocumentFile
    from news.models import Article

    by_slug = dict(
        Article.objects.filter(slug__in=[RATED_SLUG, POSTED_SLUG]).values_list("slug", "pk")
    )
    rated, posted = by_slug[RATED_SLUG], by_slug[POSTED_SLUG]
    file = DocumentFile.objects.select_related("document").get(pk=file_pk)
    total = RatingTotal.objects.filter(article_id=rated).first()
    result = {
        "article_views": Article.objects.get(pk=article_pk).view_count,
        "file_downloads": file.download_count,
        "document_downloads": file.document.download_count,
        "comments": Comment.objects.filter(article_id=posted).count(),
        "votes": Rating.objects.filter(article_id=rated).count(),
        "stars": Rating.objects.filter(article_id=rated).aggregate(s=Sum("stars"))["s"] or 0,
        "total_votes": total.votes if total else 0,
        "total_points": total.points if total else 0,
    }
    connection.close()
    return result


def page_costs(page_list: list[Page], work) -> dict[str, dict]:
    """Per page, for a new reader once the shared blocks are cached, in this process with
    the page cache off (the page's own work): the queries (CaptureQueriesContext) and the
    median time to answer, one request at a time (no queueing, unlike wrk's p50). POSTs
    run in a transaction that is rolled back; counts are dropped."""
    from urllib.parse import parse_qsl

    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from stats import counting

    overrides = {
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "CACHES": {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "fragments": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "bench-fragments",
            },
            "pages": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "bench-pages",
            },
        },
        "STATS_FLUSH_INTERVAL": 0,  # no flusher thread here; the buffer is dropped below
        "DOCUMENTS_ROOT": work.path / "documents",
        "STATIC_ROOT": work.static,
        "ALLOWED_HOSTS": ["testserver"],
        "COMMENT_CAPTCHA": False,
    }
    if page_cache_setting():
        overrides["PAGE_CACHE"] = False
    comment_data = dict(parse_qsl(comment_form(_pk(POSTED_SLUG))))

    class RollbackError(Exception):
        pass

    # One client (its middleware chain is built once); no cookies kept between requests,
    # and each request from a new address: every request is a new reader.
    client = Client(HTTP_USER_AGENT=common.BROWSER_UA)

    def once(page: Page, n: int, capture: bool) -> tuple[int, float]:
        client.cookies.clear()
        extra = {
            "REMOTE_ADDR": f"198.51.{n // 250}.{n % 250 + 1}",
            "HTTP_ACCEPT": "application/json" if page.kind == "rate" else "text/html",
        }
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            try:
                with transaction.atomic():
                    status = _request(client, page, comment_data, extra)
                    raise RollbackError
            except RollbackError:
                pass
            elapsed = time.perf_counter() - began
        if status >= 400:
            raise RuntimeError(f"{page.name}: {page.path} answered {status} in process")
        return len(queries) if capture else -1, elapsed * 1000

    costs: dict[str, dict] = {}
    n = 0
    with override_settings(**overrides):
        for page in page_list:
            once(page, n := n + 1, False)  # fills the caches
            queries, first_ms = once(page, n := n + 1, True)
            timings = [first_ms]
            spent = first_ms
            while len(timings) < 11 and (spent < 4000 or len(timings) < 3):
                _, ms_ = once(page, n := n + 1, False)
                timings.append(ms_)
                spent += ms_
            costs[page.name] = {"queries": queries, "ms": statistics.median(timings)}
        counting.buffer._take()
    connection.close()
    return costs


def _request(client, page: Page, comment_data: dict, extra: dict) -> int:
    if page.kind == "get":
        response = client.get(page.path, **extra)
        response.close()
        return response.status_code
    data = comment_data if page.kind == "comment" else {"stars": "4"}
    return client.post(page.path, data, **extra).status_code


# --- the run --------------------------------------------------------------------------------


def measure_page(base_url: str, page: Page, args, nonce, csrf: str, form: str) -> dict:
    url = base_url + page.path
    if page.kind == "get":
        return wrk.measure(url, args, nonce)
    return wrk.post_measure(
        url, args, nonce, page.kind, csrf, form if page.kind == "comment" else ""
    )


def errors_of(result: dict) -> int:
    """Requests that failed: sockets, timeouts, and any answer not expected. A POST run's
    last seconds repeat a reader on purpose (refused: 409/429); those are not errors. A
    run that got no answer at all counts every request it sent (wrk counts a timeout only
    when the answer comes late, not when it never comes)."""
    if "ok" in result:
        failed = result["socket_errors"] + max(0, result["refused"] - result["repeats"])
        sent = result["sent"] + result["repeats"]
    else:
        failed = result["socket_errors"] + result["non2xx"]
        sent = result["distinct"] + result["repeats"]
    return failed if result["requests"] else max(failed, sent)


def main(argv) -> int:
    if "--scale" in argv:  # its own options (see bench/scale.py)
        from bench import scale

        return scale.main([a for a in argv if a != "--scale"])
    if "--article-hit" in argv:  # the cached article against the baseline, alone
        from bench import article_hit

        return article_hit.main([a for a in argv if a != "--article-hit"])
    args = parse_args(argv)
    common.stop_on_sigterm()
    common.setup_django()
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    cached = page_cache_setting()
    results: dict[str, dict] = {}
    graceful = True
    problems: list[str] = []
    with common.Workdir() as work:
        article, big, root = prepare(work, args)
        page_list = pages(article, big)
        common.say("queries and render time per page (in this process, page cache off)")
        costs = page_costs(page_list, work)
        queries = {name: cost["queries"] for name, cost in costs.items()}
        form = comment_form(_pk(POSTED_SLUG))
        env = common.server_env(work.static, work.cache, args.workers)
        env.update(DOCUMENTS_ROOT=str(root), COMMENT_CAPTCHA="0")
        before = snapshot(article.pk, big.pk)
        run_line = f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s"

        if cached:
            # The page cache off, on a server of its own: each reader page's own cost.
            # The baseline runs on this server too, before and after: the machine moves
            # too much between servers for a ratio against the other server's baseline.
            uncached = [p for p in page_list if p.name in UNCACHED]
            with common.Server(dict(env, PAGE_CACHE="0"), work.log) as server:
                size = _check(server.base_url + article.get_absolute_url(), server)
                own_baseline = f"{server.base_url}/_bench/baseline/?size={size}"
                _check(own_baseline, server)
                wrk.warm_up(own_baseline)
                for page in uncached:
                    _check(server.base_url + page.path, server)
                    wrk.warm_up(server.base_url + page.path)
                common.say(f"{run_line}: baseline, page-cache-off server")
                results[NO_CACHE_BASELINES[0]] = wrk.measure(own_baseline, args, common.run_nonce())
                for page in uncached:
                    common.say(f"{run_line}: {no_cache(page.name)}")
                    results[no_cache(page.name)] = wrk.measure(
                        server.base_url + page.path, args, common.run_nonce()
                    )
                common.say(f"{run_line}: baseline again, page-cache-off server")
                results[NO_CACHE_BASELINES[1]] = wrk.measure(own_baseline, args, common.run_nonce())
                own = sum(results[name]["rps"] for name in NO_CACHE_BASELINES) / 2
                for page in uncached:
                    results[no_cache(page.name)]["baseline_rps"] = own
                    costs[no_cache(page.name)] = costs[page.name]
                graceful &= server.stop()
                problems += server.problems()

        with common.Server(env, work.log) as server:
            sizes = {}
            for page in page_list:
                if page.kind == "get":
                    sizes[page.name] = _check(server.base_url + page.path, server)
            size = sizes["article"]
            baseline_url = f"{server.base_url}/_bench/baseline/?size={size}"
            if _check(baseline_url, server) != size:
                raise RuntimeError("the baseline page is not the article's size")
            common.say(f"warm-up {WARMUP_SECONDS}s per page")
            wrk.warm_up(baseline_url)
            for page in page_list:
                if page.kind == "get":
                    wrk.warm_up(server.base_url + page.path)
            common.say(f"{run_line}: baseline")
            results["baseline"] = wrk.measure(baseline_url, args, common.run_nonce())
            for page in page_list:
                common.say(f"{run_line}: {page.name}")
                # New addresses for every run: a reader of an earlier run would be
                # inside the dedup window and not counted again.
                nonce = common.run_nonce()
                results[page.name] = measure_page(server.base_url, page, args, nonce, csrf, form)
            # Again at the end: the machine's drift during the run shows, and the ratios
            # use the mean of both.
            common.say(f"{run_line}: baseline again")
            results[BASELINE_END] = wrk.measure(baseline_url, args, common.run_nonce())
            common.say("graceful stop (SIGTERM: workers flush their counts)")
            graceful &= server.stop()
            problems += server.problems()
        after = snapshot(article.pk, big.pk)

    order = ["baseline", *(p.name for p in page_list), BASELINE_END]
    if cached:
        order += [no_cache(name) for name in UNCACHED]
    checks = counting_checks(results, before, after, cached)
    failed = sum(errors_of(r) for r in results.values())
    print_table(order, results, costs)
    print(f"\npage cache: {'PAGE_CACHE in settings: article measured with it and with PAGE_CACHE=0' if cached else 'no PAGE_CACHE setting in this tree: the article is uncached'}")  # fmt: skip
    download = results["download 5 MB"]
    print(
        f"download: {download['bytes'] / (download['duration_us'] / 1e6) / 1048576:.0f} MB/s; "
        f"the baseline is {size:,} bytes, the article's size"
    )
    for name in ("post comment", "rate"):
        r = results[name]
        print(
            f"{name}: {r['accepted_per_s']:.1f} accepted/s "
            f"({r['ok']} new readers accepted; {r['repeats']} repeats refused in the last "
            f"{TAIL_SECONDS}s)"
        )
    print("\ncounted exactly:")
    for line, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {line}")
    if failed:
        print(f"inconclusive: {failed} requests failed (each may or may not have counted)")
    if not graceful:
        print("WARNING: gunicorn did not stop gracefully; unflushed counts were lost")
    if problems:
        print(f"WARNING: {len(problems)} error lines in the gunicorn log, first: {problems[0]}")
    if cached:
        print(
            "the PAGE_CACHE=0 rows are compared with the baseline on their own server, "
            f"before and after them: {results[NO_CACHE_BASELINES[0]]['rps']:.0f} and "
            f"{results[NO_CACHE_BASELINES[1]]['rps']:.0f} req/s"
        )
    if cached:
        goals = {name: HIT_GOAL for name in UNCACHED}
        goals.update({no_cache(name): goal for name, goal in UNCACHED.items()})
    else:
        goals = dict(UNCACHED)
    for name, goal in goals.items():
        ratio = results[name]["rps"] / results[name].get("baseline_rps", baseline_rps(results))
        verdict = "meets" if ratio >= goal else "BELOW"
        print(f"{name} / baseline: {ratio:.0%} ({verdict} the {goal:.0%} goal)")

    out = args.out or RESULTS_DIR / f"run-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    for r in results.values():
        r.pop("wrk_output", None)
    out.write_text(
        json.dumps(
            {
                "when": datetime.now().isoformat(timespec="seconds"),
                "machine": {"cpus": len(os.sched_getaffinity(0)), "python": platform.python_version()},
                "settings": {
                    "workers": args.workers, "threads": args.threads,
                    "connections": args.connections, "duration_s": args.duration,
                    "tail_s": TAIL_SECONDS, "page_cache_setting": cached,
                },
                "pages": {p.name: p.path for p in page_list},
                "order": order,
                "html_bytes": sizes,
                "results": results,
                "queries": queries,
                "render_ms": {name: round(cost["ms"], 2) for name, cost in costs.items()},
                "counting": {"before": before, "after": after, "checks": checks},
                "graceful_stop": graceful,
                "server_errors": problems[:20],
            },
            indent=2,
            ensure_ascii=False,
        )
    )  # fmt: skip
    print(f"results: {os.path.relpath(out, common.ROOT)}")
    return 0 if all(checks.values()) and graceful and not failed else 1


def _pk(slug: str) -> int:
    from django.db import connection

    from news.models import Article

    pk = Article.objects.values_list("pk", flat=True).get(slug=slug)
    connection.close()
    return pk


def _check(url: str, server) -> int:
    """Fetch once as a script (not counted); return the body's size."""
    status, body = common.get(url)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}:\n{server.log_tail()}")
    return len(body)


def counting_checks(results: dict, before: dict, after: dict, cached: bool) -> dict[str, bool]:
    """What each counter moved by against what the load generator sent."""
    moved = {k: after[k] - before[k] for k in after}
    readers = results["article"]["distinct"] + (
        results[no_cache("article")]["distinct"] if cached else 0
    )
    downloads = results["download 5 MB"]["distinct"]
    posts, votes = results["post comment"]["ok"], results["rate"]["ok"]
    pairs = [
        ("article views", "article_views", readers, "new readers"),
        ("file downloads", "file_downloads", downloads, "new readers"),
        ("document downloads", "document_downloads", downloads, "new readers"),
        ("comments stored", "comments", posts, "accepted"),
        ("votes stored", "votes", votes, "accepted"),
    ]
    checks = {
        f"{label} +{moved[key]:,} for {sent:,} {what}": moved[key] == sent
        for label, key, sent, what in pairs
    }
    line = (
        f"rating total +{moved['total_votes']:,} votes; {after['total_points']:,} points = "
        f"the sum of the stored stars ({after['stars']:,})"
    )
    checks[line] = (
        moved["total_votes"] == moved["votes"] and after["total_points"] == after["stars"]
    )
    return checks


def baseline_rps(results: dict) -> float:
    return (results["baseline"]["rps"] + results[BASELINE_END]["rps"]) / 2


def print_table(order, results, costs) -> None:
    """wrk's figures per page; `queries` and `alone` (the median time of one request at a
    time, page cache off) come from this process."""
    base = baseline_rps(results)
    header = (
        f"{'page':<24} {'req/s':>8} {'p50':>10} {'p99':>10} {'errors':>7} {'queries':>8} "
        f"{'alone':>9} {'KB':>7} {'vs baseline':>12}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for name in order:
        r = results[name]
        kb = r["bytes"] / r["requests"] / 1024 if r["requests"] else 0
        cost = costs.get(name)
        queries = cost["queries"] if cost else "-"
        alone = f"{cost['ms']:.1f} ms" if cost else "-"
        p50 = ms(r["latency_us"]["p50"]) if r["requests"] else "-"
        p99 = ms(r["latency_us"]["p99"]) if r["requests"] else "-"
        print(
            f"{name:<24} {r['rps']:>8.1f} {p50:>10} {p99:>10} {errors_of(r):>7} "
            f"{queries:>8} {alone:>9} {kb:>7.1f} "
            f"{r['rps'] / r.get('baseline_rps', base) if base else 0:>11.0%}"
        )


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
