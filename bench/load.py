"""A load generator that tallies exactly what it sent, for bench/soak.py, bench/faults.py
and bench/multi.py.

Threads play readers. Each reader is a new address (X-Forwarded-For; the servers trust one
proxy, PROXY_COUNT=1) with a browser user agent, and makes a short visit: mostly article
reads, some home and category pages, searches, the library, document pages and downloads,
a vote or a comment. Every answer is tallied the way the portal counts it:

- a page view: a GET answered 200 with text/html (stats.middleware's rule);
- a reader and a visit: a reader with at least one page view (each reader is new, and
  reads for seconds, well inside one 30-minute visit);
- an article view, a document view, a file and a document download: a distinct
  (reader, object) pair answered 200 (the dedup window is 30 minutes);
- a vote: a POST answered 200 (JSON); a comment: a POST answered 302 (held for moderation).

Every request is also kept as an event (start, end, kind, status, error) so a fault test
can look at what happened around a moment. Requests go over plain HTTP to 127.0.0.1 only.
"""

import http.client
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from bench import common

# Share of each action in a reader's visit (the remainder of 100 is article reads).
MIX = {
    "home": 8,
    "category": 5,
    "search": 7,
    "library": 6,
    "document": 4,
    "download": 6,
    "rate": 3,
    "comment": 2,
}
ARTICLE_SHARE = 100 - sum(MIX.values())
SEARCHES = ["hoi nghi", "tuyên giáo", "nông thôn mới", "chuyen doi so", "giảm nghèo", "biên giới"]
LIBRARY = ["", "?q=tuyen+truyen", "?type=huong-dan", "?year=2024", "?validity=in_force"]


@dataclass
class Plan:
    """What the readers can ask for (paths, with the ids the counters use)."""

    articles: list[tuple[int, str]]  # (article id, path)
    categories: list[str]
    documents: list[tuple[int, str]]  # (document id, path)
    files: list[tuple[int, int, str, int]]  # (file id, document id, path, bytes)
    rate_articles: list[str]  # slugs open to votes
    comment_article: tuple[int, str]  # (article id, slug)
    comment_form: str  # url-encoded form fields (name, email, body, token)
    csrf: str


@dataclass
class Event:
    start: float
    end: float
    kind: str
    status: int  # 0: no answer (socket error, timeout)
    error: str = ""
    outage_page: bool = False  # a 503 that says "tạm thời gián đoạn"


@dataclass
class Tally:
    page_views: int = 0
    readers: set = field(default_factory=set)  # readers with a page view
    article_views: set = field(default_factory=set)  # (reader, article id)
    document_views: set = field(default_factory=set)
    file_downloads: set = field(default_factory=set)
    document_downloads: set = field(default_factory=set)
    votes: int = 0
    comments: int = 0
    statuses: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # (kind, status or error)
    events: list = field(default_factory=list)
    served_by: dict = field(default_factory=dict)  # reader -> servers that answered it

    def expected(self) -> dict[str, int]:
        return {
            "page_views": self.page_views,
            "visits": len(self.readers),
            "readers": len(self.readers),
            "article_views": len(self.article_views),
            "document_views": len(self.document_views),
            "file_downloads": len(self.file_downloads),
            "document_downloads": len(self.document_downloads),
            "votes": self.votes,
            "comments": self.comments,
        }


def fetch(base: str, method: str, path: str, headers: dict, body: bytes | None = None,
          timeout: float = 30) -> tuple[int, str, bytes]:  # fmt: skip
    """One request on a fresh connection; (status, content type, body). No redirects."""
    parts = urlsplit(base)
    if parts.hostname != common.HOST:
        raise ValueError(f"the benchmark only talks to {common.HOST}: {base}")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, response.getheader("Content-Type", ""), data
    finally:
        conn.close()


class Load:
    """`threads` readers' threads against `bases` (one or more servers) for `seconds`.
    A reader's requests go to the servers in turn, so with several servers one reader is
    served by each of them. run() blocks; start()/join() run it in the background."""

    def __init__(self, bases: list[str], plan: Plan, *, threads: int, seconds: float,
                 nonce: tuple[int, int], seed: int = 1, keep_events: bool = True,
                 timeout: float = 30):  # fmt: skip
        self.bases = bases
        self.plan = plan
        self.threads = threads
        self.seconds = seconds
        self.nonce = nonce
        self.seed = seed
        self.keep_events = keep_events
        self.timeout = timeout
        self.tally = Tally()
        self._lock = threading.Lock()
        self._runner: threading.Thread | None = None
        self.stop_event = threading.Event()
        self.began = 0.0
        self.ended = 0.0

    # --- running ---------------------------------------------------------------------------

    def run(self) -> Tally:
        self.began = time.monotonic()
        deadline = self.began + self.seconds
        workers = [
            threading.Thread(target=self._thread, args=(t, deadline), daemon=True)
            for t in range(self.threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        self.ended = time.monotonic()
        return self.tally

    def start(self) -> None:
        self._runner = threading.Thread(target=self.run, daemon=True)
        self._runner.start()

    def join(self) -> Tally:
        if self._runner is not None:
            self._runner.join()
        return self.tally

    def stop(self) -> None:
        self.stop_event.set()

    def _thread(self, t: int, deadline: float) -> None:
        rng = random.Random(self.seed * 10_000 + t)  # noqa: S311 - a reproducible mix
        n = 0
        while time.monotonic() < deadline and not self.stop_event.is_set():
            n += 1
            reader = f"2001:db8:{self.nonce[0]:x}:{self.nonce[1]:x}:{t:x}::{n:x}"
            self._visit(rng, reader, t + n, deadline)

    def _visit(self, rng: random.Random, reader: str, turn: int, deadline: float) -> None:
        plan = self.plan
        rated: set[str] = set()
        commented = False
        for step in range(rng.randint(1, 6)):
            if time.monotonic() >= deadline or self.stop_event.is_set():
                return
            base = self.bases[(turn + step) % len(self.bases)]
            roll = rng.randrange(100)
            action = "article"
            for name, share in MIX.items():
                if roll < share:
                    action = name
                    break
                roll -= share
            if action == "rate":
                slug = rng.choice(plan.rate_articles)
                if slug in rated:
                    action = "article"
                else:
                    rated.add(slug)
                    self._rate(base, reader, slug, rng)
                    continue
            if action == "comment":
                if commented:
                    action = "article"
                else:
                    commented = True
                    self._comment(base, reader)
                    continue
            if action == "article":
                article_id, path = rng.choice(plan.articles)
                self._get(base, reader, "article", path, article=article_id)
            elif action == "home":
                self._get(base, reader, "home", "/")
            elif action == "category":
                self._get(base, reader, "category", rng.choice(plan.categories))
            elif action == "search":
                self._get(base, reader, "search", "/tim-kiem/?" + urlencode({"q": rng.choice(SEARCHES)}))  # fmt: skip
            elif action == "library":
                self._get(base, reader, "library", "/van-ban/" + rng.choice(LIBRARY))
            elif action == "document":
                document_id, path = rng.choice(plan.documents)
                self._get(base, reader, "document", path, document=document_id)
            elif action == "download":
                # The small files mostly; the 5 MB one now and then.
                file = plan.files[0] if rng.random() < 0.1 else rng.choice(plan.files[1:])
                self._get(base, reader, "download", file[2], file=file)

    # --- requests ----------------------------------------------------------------------------

    def _headers(self, reader: str, **extra) -> dict:
        return {"User-Agent": common.BROWSER_UA, "X-Forwarded-For": reader, **extra}

    def _send(self, base, kind, method, path, headers, body=None):
        start = time.monotonic()
        try:
            status, ctype, data = fetch(base, method, path, headers, body, self.timeout)
            error = ""
        except (OSError, http.client.HTTPException) as exc:
            status, ctype, data, error = 0, "", b"", type(exc).__name__
        end = time.monotonic()
        outage = status == 503 and "tạm thời gián đoạn" in data.decode("utf-8", "replace").lower()
        event = Event(start - self.began, end - self.began, kind, status, error, outage)
        with self._lock:
            tally = self.tally
            tally.statuses[status] += 1
            tally.by_kind[kind] += 1
            if self.keep_events:
                tally.events.append(event)
        return status, ctype, data, event

    def _get(self, base, reader, kind, path, *, article=None, document=None, file=None):
        status, ctype, data, event = self._send(
            base, kind, "GET", path, self._headers(reader, Accept="text/html")
        )
        with self._lock:
            tally = self.tally
            if status and len(self.bases) > 1:
                tally.served_by.setdefault(reader, set()).add(base)
            if status == 200 and ctype.startswith("text/html"):
                tally.page_views += 1
                tally.readers.add(reader)
                if article is not None:
                    tally.article_views.add((reader, article))
                if document is not None:
                    tally.document_views.add((reader, document))
            elif status == 200 and file is not None and len(data) == file[3]:
                tally.file_downloads.add((reader, file[0]))
                tally.document_downloads.add((reader, file[1]))
            else:
                tally.failures[(kind, status or event.error)] += 1

    def _post(self, base, reader, kind, path, form: str, accept: str):
        plan = self.plan
        body = f"csrfmiddlewaretoken={plan.csrf}&{form}".encode()
        headers = self._headers(
            reader,
            Accept=accept,
            Cookie=f"csrftoken={plan.csrf}",
            **{"Content-Type": "application/x-www-form-urlencoded"},
        )
        status, _, _, event = self._send(base, kind, "POST", path, headers, body)
        return status, event

    def _rate(self, base, reader, slug, rng):
        status, event = self._post(
            base, reader, "rate", f"/bai-viet/{slug}/danh-gia/",
            f"stars={rng.randint(1, 5)}", "application/json",
        )  # fmt: skip
        with self._lock:
            if status == 200:
                self.tally.votes += 1
            else:
                self.tally.failures[("rate", status or event.error)] += 1

    def _comment(self, base, reader):
        _, slug = self.plan.comment_article
        status, event = self._post(
            base, reader, "comment", f"/bai-viet/{slug}/binh-luan/", self.plan.comment_form,
            "text/html",
        )  # fmt: skip
        with self._lock:
            if status == 302:
                self.tally.comments += 1
            else:
                self.tally.failures[("comment", status or event.error)] += 1


# --- the data the readers use -----------------------------------------------------------------

SMALL_FILES = 12


def make_plan(work, article, big_file, documents_root) -> Plan:
    """The plan over the benchmark's data (bench/run.py's prepare has made it): its
    published articles, categories, documents, the 5 MB file and a few small ones made
    here (rows once per database, bytes in this run's DOCUMENTS_ROOT)."""
    import secrets
    import string

    from django.db import connection

    from bench import comments as bench_comments
    from documents import demo
    from documents.models import Document, DocumentFile
    from news.models import Article, Category

    articles = list(
        Article.objects.published()
        .filter(slug__startswith=common.SLUG_PREFIX)
        .exclude(slug__in=[f"{common.SLUG_PREFIX}{i}" for i in range(2, 8)])
        .values_list("pk", "slug")[:300]
    )
    documents = list(
        Document.objects.published()
        .filter(slug__startswith="bench-van-ban-")
        .order_by("pk")
        .values_list("pk", "slug")[:200]
    )
    small = []
    for i, (document_id, _) in enumerate(documents[:SMALL_FILES]):
        name = f"bench/nho-{i}.pdf"
        data = demo.padded_pdf(30_000 + 7_000 * i, seed=i + 2)
        path = documents_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        row, _ = DocumentFile.objects.get_or_create(
            document_id=document_id,
            file=name,
            defaults={"original_name": f"Phụ lục {i}.pdf", "kind": "pdf", "size": len(data)},
        )
        small.append((row.pk, document_id, row.get_absolute_url(), len(data)))
    categories = [
        c.get_absolute_url() for c in Category.objects.filter(slug__startswith=common.SLUG_PREFIX)
    ]
    # Votes: a handful of articles (each reader votes once per article); comments: one.
    rate = [f"{common.SLUG_PREFIX}{i}" for i in (3, 5, 6, 7)]
    posted = Article.objects.get(slug=f"{common.SLUG_PREFIX}4")
    plan = Plan(
        articles=[(pk, f"/bai-viet/{slug}/") for pk, slug in articles],
        categories=categories,
        documents=[(pk, f"/van-ban/{slug}/") for pk, slug in documents],
        files=[
            (big_file.pk, big_file.document_id, big_file.get_absolute_url(), big_file.size),
            *small,
        ],
        rate_articles=rate,
        comment_article=(posted.pk, posted.slug),
        comment_form=bench_comments.comment_form(posted.pk),
        csrf="".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32)),
    )
    connection.close()
    return plan


def counters() -> dict[str, int]:
    """Every counter the readers move, summed over all rows and days."""
    from django.db import connection

    sql = """
        SELECT
            (SELECT coalesce(sum(page_views), 0) FROM stats_dailytraffic),
            (SELECT coalesce(sum(visits), 0) FROM stats_dailytraffic),
            (SELECT coalesce(sum(readers), 0) FROM stats_dailytraffic),
            (SELECT coalesce(sum(page_views), 0) FROM stats_hourlytraffic),
            (SELECT coalesce(sum(n), 0) FROM stats_pageviews WHERE bucket = 'd'),
            (SELECT coalesce(sum(view_count), 0) FROM news_article),
            (SELECT coalesce(sum(n), 0) FROM stats_objectviews
                WHERE bucket = 'd' AND kind = 'article'),
            (SELECT coalesce(sum(view_count), 0) FROM documents_document),
            (SELECT coalesce(sum(download_count), 0) FROM documents_documentfile),
            (SELECT coalesce(sum(download_count), 0) FROM documents_document),
            (SELECT count(*) FROM comments_rating),
            (SELECT coalesce(sum(votes), 0) FROM comments_ratingtotal),
            (SELECT count(*) FROM comments_comment)
    """
    names = [
        "page_views", "visits", "readers", "hourly_page_views", "page_rows",
        "article_views", "article_rows", "document_views", "file_downloads",
        "document_downloads", "votes", "vote_totals", "comments",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    connection.close()
    return dict(zip(names, (int(v) for v in row), strict=True))


# Which expected figure each counter must match.
EXPECTED_BY_COUNTER = {
    "page_views": "page_views",
    "visits": "visits",
    "readers": "readers",
    "hourly_page_views": "page_views",
    "page_rows": "page_views",
    "article_views": "article_views",
    "article_rows": "article_views",
    "document_views": "document_views",
    "file_downloads": "file_downloads",
    "document_downloads": "document_downloads",
    "votes": "votes",
    "vote_totals": "votes",
    "comments": "comments",
}


def compare(before: dict, after: dict, tally: Tally) -> dict[str, dict]:
    """{counter: {"sent", "counted", "lost"}}: lost > 0 is a count missing, < 0 one too many."""
    expected = tally.expected()
    result = {}
    for counter, key in EXPECTED_BY_COUNTER.items():
        counted = after[counter] - before[counter]
        result[counter] = {
            "sent": expected[key],
            "counted": counted,
            "lost": expected[key] - counted,
        }
    return result


def print_comparison(rows: dict[str, dict]) -> None:
    print(f"\n{'counter':<20} {'sent':>9} {'counted':>9} {'lost':>6}")
    for name, row in rows.items():
        mark = "" if row["lost"] == 0 else "  <--"
        print(f"{name:<20} {row['sent']:>9,} {row['counted']:>9,} {row['lost']:>6}{mark}")


def latency_table(events: list[Event]) -> list[tuple[str, int, float, float]]:
    """(kind, requests, p50 ms, p99 ms) of the answered requests."""
    by_kind: dict[str, list[float]] = {}
    for e in events:
        if e.status:
            by_kind.setdefault(e.kind, []).append((e.end - e.start) * 1000)
    rows = []
    for kind, values in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
        values.sort()
        rows.append(
            (kind, len(values), values[len(values) // 2], values[min(len(values) - 1, int(len(values) * 0.99))])
        )  # fmt: skip
    return rows
