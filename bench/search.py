"""The site search alone, in this process: for each query, the median time of one request
to /tim-kiem/ (page cache off, shared blocks cached, one request at a time) and its
queries, against DATABASE_URL as it is.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_small .venv/bin/python bench/search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_scale .venv/bin/python bench/search.py

Run it on a small database (the demo content) and on one filled by `manage.py bench_scale`
(200,000 articles, 20,000 documents): the search must answer in about the same time with
the same queries. The queries are the benchmark's (`bench/run.py`, `bench/load.py`) plus a
document's code, and words most documents and articles contain.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

QUERIES = [
    "hoi nghi tong ket",  # bench/run.py's search, without diacritics
    "ke hoach",  # a document type: most documents' titles
    "ban tuyen giao",  # the issuer of most documents, in many articles
    "195-KH/BTGTU",  # a document's code
    "nông thôn mới",
    "khong co tu nay xyzw",  # nothing found
]


def main(argv) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--repeat", type=common.bounded(3, 200), default=15)
    args = parser.parse_args(argv)
    common.setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from documents.models import Document
    from news.models import Article

    overrides = {
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "CACHES": {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "fragments": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "bench-search-fragments",
            },
            "pages": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "bench-search-pages",
            },
        },
        "PAGE_CACHE": False,
        "STATS_FLUSH_INTERVAL": 0,
        "STATS_MIDDLEWARE": False,
        "ALLOWED_HOSTS": ["testserver"],
    }
    print(
        f"{Article.objects.count():,} articles, {Document.objects.count():,} documents "
        f"({connection.settings_dict['NAME']})"
    )
    print(f"{'query':24} {'median':>9} {'max':>9} {'queries':>8}  found")
    setup_test_environment()  # the response's context: what was found
    client = Client(HTTP_USER_AGENT=common.BROWSER_UA)
    with override_settings(**overrides):
        for q in QUERIES:
            response = client.get("/tim-kiem/", {"q": q})  # fills the shared blocks' caches
            context = response.context
            found = (
                f"{context['page'].paginator.count} bài viết, "
                f"{context.get('document_count', 0)} văn bản, "
                f"{len(context.get('static_pages', []))} trang"
            )
            timings = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    status = client.get("/tim-kiem/", {"q": q}).status_code
                    timings.append((time.perf_counter() - began) * 1000)
                if status != 200:
                    raise SystemExit(f"{q}: status {status}")
            print(
                f"{q:24} {statistics.median(timings):7.1f}ms {max(timings):7.1f}ms "
                f"{len(queries):>8}  {found}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
