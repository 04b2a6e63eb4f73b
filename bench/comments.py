"""Benchmark of the comments app under gunicorn, side by side with the baseline page: the
article page with 200 approved comments, posting a comment, and rating an article; then a
check that every accepted vote is in the article's total, exactly.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/comments.py

Steps: what bench/run.py does first (migrate, static files, its articles), then, once per
database, 200 approved comments (a third with a staff reply) on one benchmark article;
gunicorn on a free port; wrk on the baseline page (same size as the commented article), the
commented article and the plain benchmark article (bench/readers.lua: every request a new
reader); wrk posting comments and votes (bench/comments.lua: every POST a new reader, so
no per-reader limit is hit and every vote is a first vote; a success is the 302 of
post/redirect/get); a graceful stop; and the counts: new comment rows = accepted posts,
new votes = accepted votes = the total's growth, and the total's points = the sum of the
stored stars.
"""

import argparse
import json
import secrets
import string
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, run  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
LUA = BENCH_DIR / "comments.lua"
COMMENTED_SLUG = "bench-2"  # a seeded article (common.seed); the main one stays as it is
RATED_SLUG = "bench-3"
POSTED_SLUG = "bench-4"
N_COMMENTS = 200
# A reader's second comment on an article is refused within a minute (the tail of a POST
# run relies on it), so a POST run is at most this long.
MAX_POST_SECONDS = 50


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "-d", "--duration", type=common.bounded(run.TAIL_SECONDS + 3, 120), default=10
    )
    parser.add_argument("-c", "--connections", type=common.bounded(1, 256), default=16)
    parser.add_argument("-t", "--threads", type=common.bounded(1, 16), default=2)
    parser.add_argument("-w", "--workers", type=common.bounded(1, 32), default=4)
    args = parser.parse_args(argv)
    args.threads = min(args.threads, args.connections)
    return args


def seed_comments():
    """200 approved comments on the commented article, once per database (all or nothing)."""
    from django.db import transaction
    from django.utils import timezone

    from comments import services
    from comments.models import Comment
    from news.models import Article

    article = Article.objects.get(slug=COMMENTED_SLUG)
    if Comment.objects.filter(article=article, status="approved").count() >= N_COMMENTS:
        return article
    common.say(f"Seeding {N_COMMENTS} approved comments on /bai-viet/{COMMENTED_SLUG}/ (once)")
    start = timezone.now() - timedelta(days=3)
    with transaction.atomic():
        Comment.objects.filter(article=article).delete()
        top = Comment.objects.bulk_create(
            [
                Comment(
                    article=article, name=f"Bạn đọc số {i}", email=f"bandoc{i}@example.vn",
                    body=("Bài viết rất thiết thực, mong Ban biên tập tiếp tục đưa tin về "
                          f"kết quả học tập nghị quyết ở cơ sở. Ý kiến số {i}.\nXin cảm ơn."),
                    status="approved", created_at=start + timedelta(minutes=i),
                )
                for i in range(N_COMMENTS)
            ]
        )  # fmt: skip
        Comment.objects.bulk_create(
            [
                Comment(
                    article=article, parent=c, name="Ban biên tập", email="bbt@example.vn",
                    body="Cảm ơn bạn đã quan tâm theo dõi.", status="approved", by_staff=True,
                    created_at=c.created_at + timedelta(minutes=5),
                )
                for c in top[::3]
            ]
        )  # fmt: skip
    services.comments_recount(article_ids=[article.pk])
    return article


def snapshot(posted_pk: int, rated_pk: int) -> dict:
    from django.db import connection
    from django.db.models import Sum

    from comments.models import Comment, Rating, RatingTotal

    total = RatingTotal.objects.filter(article_id=rated_pk).first()
    result = {
        "comments": Comment.objects.filter(article_id=posted_pk).count(),
        "votes": Rating.objects.filter(article_id=rated_pk).count(),
        "stars": Rating.objects.filter(article_id=rated_pk).aggregate(s=Sum("stars"))["s"] or 0,
        "total_votes": total.votes if total else 0,
        "total_points": total.points if total else 0,
    }
    connection.close()
    return result


def post_measure(url: str, args, nonce, kind: str, csrf: str, rest: str = "") -> dict:
    duration = min(args.duration, MAX_POST_SECONDS)
    cmd = [
        run.wrk_path(), f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s",
        "--latency", "--timeout", run.WRK_TIMEOUT, "-s", str(LUA),
        "-H", f"User-Agent: {common.BROWSER_UA}",
        url, "--", str(nonce[0]), str(nonce[1]), str(duration), str(run.TAIL_SECONDS),
        kind, csrf, rest,
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH_JSON ")]
    if not lines:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    result = json.loads(lines[-1].removeprefix("BENCH_JSON "))
    seconds = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / seconds if seconds else 0.0
    # Accepted posts per second, over the part of the run that sent new readers.
    result["accepted_per_s"] = result["ok"] / max(seconds - run.TAIL_SECONDS, 1)
    result["socket_errors"] = sum(
        result["errors"][k] for k in ("connect", "read", "write", "timeout")
    )
    return result


def comment_form(article_pk: int) -> str:
    """The form as the page sends it, opened a minute ago (the token is signed with the
    server's SECRET_KEY: same settings, same key)."""
    from comments import spam

    return urlencode(
        {
            "name": "Nguyễn Văn Bình",
            "email": "binh@example.vn",
            "body": "Bài viết rất hay, cảm ơn Ban biên tập.\nMong có thêm số liệu cụ thể.",
            "website": "",
            "opened": spam.make_form_token(article_pk, issued_at=time.time() - 60),
        }
    )


def main(argv) -> int:
    args = parse_args(argv)
    common.stop_on_sigterm()
    common.setup_django()
    from news.models import Article
    from pages.models import SiteSettings

    nonce = common.run_nonce()
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    with common.Workdir() as work:
        main_article = common.prepare(work)
        commented = seed_comments()
        # Posted comments wait for a moderator, so the commented page stays as seeded (no
        # settings record means "all"; the server starts with an empty cache).
        SiteSettings.objects.filter(pk=1).update(comment_moderation="all")
        rated = Article.objects.get(slug=RATED_SLUG)
        posted = Article.objects.get(slug=POSTED_SLUG)
        env = common.server_env(work.static, work.cache, args.workers)
        env["COMMENT_CAPTCHA"] = "0"
        before = snapshot(posted.pk, rated.pk)
        with common.Server(env, work.log) as server:
            commented_url = server.base_url + commented.get_absolute_url()
            plain_url = server.base_url + main_article.get_absolute_url()
            status, html = common.get(commented_url)
            if status != 200 or b"comment-count" not in html:
                raise RuntimeError(f"commented article answered {status}:\n{server.log_tail()}")
            size = len(html)
            baseline_url = f"{server.base_url}/_bench/baseline/?size={size}"
            post_url = server.base_url + posted.get_absolute_url() + "binh-luan/"
            rate_url = server.base_url + rated.get_absolute_url() + "danh-gia/"

            common.say(f"warm-up {run.WARMUP_SECONDS}s per page")
            for url in (baseline_url, commented_url, plain_url):
                run.warm_up(url)
            results = {}
            for name, url in [("baseline", baseline_url), ("article+200 comments", commented_url),
                              ("article (plain)", plain_url)]:  # fmt: skip
                common.say(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s: {name}")
                results[name] = run.measure(url, args, nonce)
            post_seconds = min(args.duration, MAX_POST_SECONDS)
            common.say(f"wrk POST: comments ({post_seconds}s)")
            results["post comment"] = post_measure(
                post_url, args, nonce, "comment", csrf, comment_form(posted.pk)
            )
            common.say(f"wrk POST: ratings ({post_seconds}s)")
            results["rate"] = post_measure(rate_url, args, nonce, "rate", csrf)
            common.say("graceful stop")
            graceful = server.stop()
            problems = server.problems()
            log_tail = server.log_tail()
        after = snapshot(posted.pk, rated.pk)

    base_rps = results["baseline"]["rps"]
    header = f"{'URL':<22} {'req/s':>8} {'p50':>9} {'p99':>9} {'accepted':>9} {'refused':>8} {'errors':>7} {'vs baseline':>12}"
    print("\n" + header + "\n" + "-" * len(header))
    for name, r in results.items():
        accepted = r.get("ok", r["requests"] - r.get("non2xx", 0))
        refused = r.get("refused", r.get("non2xx", 0))
        print(
            f"{name:<22} {r['rps']:>8.1f} {run.ms(r['latency_us']['p50']):>9} "
            f"{run.ms(r['latency_us']['p99']):>9} {accepted:>9} {refused:>8} "
            f"{r['socket_errors']:>7} {r['rps'] / base_rps if base_rps else 0:>11.0%}"
        )
    print(f"\nHTML size: article with comments {size:,} bytes (baseline the same)")
    for name in ("post comment", "rate"):
        r = results[name]
        print(
            f"{name}: {r['accepted_per_s']:.1f} accepted/s ({r['ok']} new readers accepted; "
            f"{r['repeats']} repeats refused in the last {run.TAIL_SECONDS}s)"
        )

    new_comments = after["comments"] - before["comments"]
    new_votes = after["votes"] - before["votes"]
    total_growth = after["total_votes"] - before["total_votes"]
    checks = {
        "comments stored == posts accepted": new_comments == results["post comment"]["ok"],
        "votes stored == votes accepted": new_votes == results["rate"]["ok"],
        "total votes grew by the votes stored": total_growth == new_votes,
        "total points == sum of stored stars": after["total_points"] == after["stars"],
    }
    print(f"comments: +{new_comments} stored for {results['post comment']['ok']} accepted posts")
    print(
        f"ratings: +{new_votes} stored for {results['rate']['ok']} accepted votes; total "
        f"{before['total_points']}/{before['total_votes']} -> "
        f"{after['total_points']}/{after['total_votes']} (sum of stars {after['stars']})"
    )
    for name, ok in checks.items():
        print(f"  {'ok ' if ok else 'FAIL'} {name}")
    if not graceful:
        print("WARNING: gunicorn did not stop gracefully\n" + log_tail)
    if problems:
        print(f"WARNING: {len(problems)} error lines in the gunicorn log, first: {problems[0]}")

    run.RESULTS_DIR.mkdir(exist_ok=True)
    out = run.RESULTS_DIR / f"comments-{datetime.now():%Y%m%d-%H%M%S}.json"
    for r in results.values():
        r.pop("wrk_output", None)
    out.write_text(
        json.dumps(
            {
                "when": datetime.now().isoformat(timespec="seconds"),
                "settings": {
                    "workers": args.workers,
                    "threads": args.threads,
                    "connections": args.connections,
                    "duration_s": args.duration,
                },  # fmt: skip
                "html_bytes": size,
                "results": results,
                "before": before,
                "after": after,
                "checks": checks,
            },
            indent=2,
        )
    )
    print(f"results: {out.relative_to(common.ROOT)}")
    failed = any(r["socket_errors"] for r in results.values())
    return 0 if all(checks.values()) and graceful and not failed else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
