"""Benchmark: importing a NukeViet site of N articles with their comments.

    .venv/bin/python bench/nukeviet_import.py                  # 100,000 articles, 3 comments each
    .venv/bin/python bench/nukeviet_import.py --articles 10000

Generates a NukeViet-shaped database (nukeviet.sample: 20 categories, 200 tags, N articles
with ~3 KB bodies and two tags each, 3 comments per article, 90 % approved) in MariaDB on
127.0.0.1:3306 (root, no password), creates a fresh PostgreSQL database of its own
(`portal_bench_nukeviet` on the server of DATABASE_URL, or 127.0.0.1:5432), migrates it and
times `manage.py import_nukeviet` twice: the first import, and a second run that finds
everything unchanged. Fails when the first import takes more than 15 minutes.
Both databases are dropped at the end unless `--keep`.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LIMIT_SECONDS = 15 * 60


def say(message: str) -> None:
    print(f"[nukeviet-import] {message}", flush=True)


def pg_admin(server_url: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(server_url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def manage(env: dict, *args: str) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=3, help="comments per article")
    parser.add_argument("--mysql-db", default="nv_bench")
    parser.add_argument("--pg-db", default="portal_bench_nukeviet")
    parser.add_argument("--keep", action="store_true", help="keep both databases")
    args = parser.parse_args()

    from nukeviet import sample

    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(base)
    pg_url = urlunsplit(parts._replace(path=f"/{args.pg_db}"))
    env = {
        **os.environ,
        "DATABASE_URL": pg_url,
        "HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }

    say(
        f"generating {args.articles:,} articles, {args.comments} comments each, in MariaDB `{args.mysql_db}`"
    )
    started = time.monotonic()
    db = sample.create_database(args.mysql_db)
    sample.generate(db, args.articles, comments_per_article=args.comments)
    db.close()
    say(f"generated in {time.monotonic() - started:.0f} s")

    pg_admin(base, f'DROP DATABASE IF EXISTS "{args.pg_db}"')
    pg_admin(base, f'CREATE DATABASE "{args.pg_db}"')
    try:
        manage(env, "migrate", "-v0")
        source = f"mysql://root@127.0.0.1:3306/{args.mysql_db}"
        first = manage(
            env, "import_nukeviet", source, "--only", "categories,tags,articles,comments,stats"
        )
        say(f"first import: {first:.0f} s ({first / 60:.1f} min) for {args.articles:,} articles "
            f"and {args.articles * args.comments:,} comments")  # fmt: skip
        second = manage(
            env, "import_nukeviet", source, "--only", "categories,tags,articles,comments,stats"
        )
        say(f"second run (nothing changed): {second:.0f} s")
    finally:
        if not args.keep:
            pg_admin(base, f'DROP DATABASE IF EXISTS "{args.pg_db}"')
            sample.drop_database(args.mysql_db)
    if first > LIMIT_SECONDS:
        say(f"FAIL: the first import took longer than {LIMIT_SECONDS // 60} minutes")
        return 1
    say("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
