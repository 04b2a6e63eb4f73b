"""The one place that writes counters.

Apps register what can be counted (a kind, the model and its counter column) and call
`count(kind, object_id, request)`. Each worker process keeps the counted (kind, object,
reader) triples in memory and a background thread writes them every STATS_FLUSH_INTERVAL
seconds in one statement per kind:

    WITH marks AS (INSERT ... INTO stats_countmark ... ON CONFLICT DO UPDATE
                   ... WHERE the old mark is older than the window RETURNING object_id)
    UPDATE <table> SET <counter> = <counter> + n FROM (count of marks per object) ...

so a reader's repeated views inside the window count once, concurrent workers never lose
an increment (the row lock of the UPDATE and the unique constraint of the marks decide),
and a page view costs no database write at all. The same statement adds each new count to
the object's day and month (stats_objectviews) and to its kind's day and month
(stats_breakdown), so any period can be reported per article or per document.

Concurrent flushes (several workers, several instances) cannot deadlock: every flush takes
its row locks in one global order. It first locks the counter rows it may update, table by
table (sorted by name) and id by id (`SELECT ... ORDER BY id FOR NO KEY UPDATE`), before any
UPDATE: an `UPDATE ... FROM` join locks rows in whatever order its plan yields, and two
kinds (a document's views and downloads) count into one table. Then every INSERT ... ON
CONFLICT takes its rows in key order (ORDER BY), kinds in sorted order, and the purges
delete in that same order.

Some things are not counted per reader: a banner shown on every page view is shown again
each time. Such a kind is *tallied* (`tally(kind, object_ids, request)`): the same readers
count (no bots, no staff), but every call adds 1, with no mark and no counter column; the
flush adds the day's sums to the object's day and month rows of stats_objectviews, as the
counted kinds' increments are, so reports read both kinds the same way.

The buffer also holds the page-view aggregates of stats.middleware (stats.traffic); one
flush writes all three in one transaction, so a failed flush keeps everything for the next.
A graceful stop flushes (gunicorn's worker_exit hook and atexit); a hard kill loses at
most one interval of counts.
"""

import atexit
import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from stats import readers, traffic

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counter:
    kind: str
    model: type[models.Model]
    field: str


_registry: dict[str, Counter] = {}


def now() -> datetime:
    """The clock of every count and page view (one place, so tests can move it)."""
    return timezone.now()


def register(kind: str, model: type[models.Model], field: str) -> None:
    """Declare that `kind` counts into `model.field` (called from an AppConfig.ready)."""
    _registry[kind] = Counter(kind, model, field)


def registered(kind: str) -> Counter:
    return _registry[kind]


def kinds() -> list[Counter]:
    return list(_registry.values())


class Buffer:
    """Counted triples of this process, waiting to be written."""

    # Above this many pending triples (a long database outage) the oldest are dropped
    # rather than let a worker's memory grow without bound; the loss is logged.
    MAX_PENDING = 200_000

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, int, bytes], datetime] = {}
        self._tallies: dict[tuple[str, int, date], int] = {}
        self._views = traffic.Pending()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._flush_lock = threading.Lock()

    def add(self, kind: str, object_id: int, reader: bytes, at: datetime) -> None:
        key = (kind, int(object_id), reader)
        with self._lock:
            # The earliest time wins, so the window starts at the first view.
            self._pending.setdefault(key, at)
            if len(self._pending) > self.MAX_PENDING:
                self._pending.pop(next(iter(self._pending)))
                log.error("stats buffer full: dropped one pending count")
        self._ensure_thread()

    def add_tally(self, kind: str, object_ids: list[int], day: date) -> None:
        """1 more for each of `object_ids` on `day` (under one lock: a page's banners)."""
        with self._lock:
            tallies = self._tallies
            for object_id in object_ids:
                key = (kind, object_id, day)
                if key not in tallies and len(tallies) >= self.MAX_PENDING:
                    log.error("stats buffer full: dropped one tally")
                    continue
                tallies[key] = tallies.get(key, 0) + 1
        self._ensure_thread()

    def add_page_view(self, *, at: datetime, reader: bytes, path: str, referrer: str, client):
        """One reader page view (from stats.middleware)."""
        with self._lock:
            if self._views.size() >= self.MAX_PENDING:
                log.error("stats buffer full: dropped one page view")
                return
            self._views.add(at=at, reader=reader, path=path, referrer=referrer, client=client)
        self._ensure_thread()

    def pending(self) -> int:
        return len(self._pending)

    def pending_page_views(self) -> int:
        return len(self._views)

    def pending_tallies(self) -> dict[tuple[str, int, date], int]:
        with self._lock:
            return dict(self._tallies)

    def _take(self) -> tuple[dict, dict, traffic.Pending]:
        with self._lock:
            batch, self._pending = self._pending, {}
            tallies, self._tallies = self._tallies, {}
            views, self._views = self._views, traffic.Pending()
        return batch, tallies, views

    def _put_back(self, batch: dict, tallies: dict, views: traffic.Pending) -> None:
        with self._lock:
            for key, at in batch.items():
                self._pending.setdefault(key, at)
            for key, n in tallies.items():
                self._tallies[key] = self._tallies.get(key, 0) + n
            self._views.merge(views)

    def flush(self) -> int:
        """Write everything pending; return the number of counts that were new."""
        with self._flush_lock:
            batch, tallies, views = self._take()
            if not batch and not tallies and not views.size():
                return 0
            try:
                with transaction.atomic():
                    new = write_batch(batch) if batch else 0
                    if tallies:
                        write_tallies(tallies)
                    traffic.write(views)
                return new
            except Exception:
                self._put_back(batch, tallies, views)
                log.exception(
                    "stats flush failed; %d counts, %d tallies and %d page views kept for "
                    "the next try",
                    len(batch),
                    len(tallies),
                    len(views),
                )
                # A broken connection must not stay broken for the next flush (but a
                # caller's own transaction, as in tests, is not ours to close).
                if not connection.in_atomic_block:
                    connection.close()
                return 0

    def _ensure_thread(self) -> None:
        interval = settings.STATS_FLUSH_INTERVAL
        if interval <= 0 or (self._thread and self._thread.is_alive()):
            return
        with self._lock:
            if self._thread and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._loop, args=(interval,), name="stats-flusher", daemon=True
            )
            self._thread.start()

    def _loop(self, interval: float) -> None:
        last_purge = time.monotonic()
        while not self._stop.wait(interval):
            self.flush()
            if time.monotonic() - last_purge > 60:
                last_purge = time.monotonic()
                try:
                    purge_marks()
                    traffic.purge_readers(traffic.local_time(now()).date())
                except Exception:
                    log.exception("stats purge failed")
                    connection.close()
        connection.close()

    def stop(self) -> None:
        """Flush and stop the thread (worker exit)."""
        self._stop.set()
        self.flush()


buffer = Buffer()
atexit.register(buffer.flush)


def counts(request) -> bool:
    """Whether `request` is a reader's: not HEAD, not a prefetch, not a bot, not staff, and not a page
    marked `request.not_counted` (error pages, which nobody asked to see)."""
    if request.method == "HEAD" or getattr(request, "not_counted", False):
        return False
    if readers.is_speculative(request.META):
        return False
    if readers.is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    # Only a request with a session can be staff: a reader's view loads no user (and
    # no session), as in stats.middleware.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            return False
    return True


def count(kind: str, object_id: int, request) -> None:
    """Count one view (or download, or click) of an object by the reader of `request`.

    Bots, prefetches and staff do not count. Never raises: counting must not break a page.
    """
    try:
        if not counts(request):
            return
        at = now()
        day = traffic.local_time(at).date()
        buffer.add(kind, object_id, readers.reader_id(request, day), at)
    except Exception:
        log.exception("could not count %s %s", kind, object_id)
        if settings.DEBUG:
            raise


_day = {"second": -1, "day": None}


def _today() -> date:
    """Today on the site's clock, worked out once a second: tally() runs for every page
    view, page-cache hits included, where the time-zone conversion is a noticeable part."""
    at = now()
    second = int(at.timestamp())
    if _day["second"] != second:
        _day["second"], _day["day"] = second, traffic.local_time(at).date()
    return _day["day"]


def tally(kind: str, object_ids: list[int], request) -> None:
    """1 more for each of `object_ids` (the banners a page shows), on every reader page
    view: not once per reader. Never raises."""
    if not object_ids:
        return
    try:
        if counts(request):
            buffer.add_tally(kind, object_ids, _today())
    except Exception:
        log.exception("could not tally %s", kind)
        if settings.DEBUG:
            raise


def write_tallies(tallies: dict[tuple[str, int, date], int]) -> None:
    """Add the tallies to their objects' day and month rows, in key order (the flushes'
    lock order, as in write_batch)."""
    keys = list(tallies)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH t AS (
                SELECT * FROM unnest(%s::varchar[], %s::bigint[], %s::date[], %s::bigint[])
                    AS t(kind, object_id, day, n)
            ), buckets AS (
                SELECT 'd' AS bucket, day, kind, object_id, n FROM t
                UNION ALL
                SELECT 'm', date_trunc('month', day)::date, kind, object_id, n FROM t
            )
            INSERT INTO stats_objectviews AS o (bucket, day, kind, object_id, n)
            SELECT bucket, day, kind, object_id, sum(n) FROM buckets
            GROUP BY bucket, day, kind, object_id ORDER BY bucket, day, kind, object_id
            ON CONFLICT (bucket, day, kind, object_id) DO UPDATE SET n = o.n + EXCLUDED.n
            """,
            [
                [k[0] for k in keys],
                [k[1] for k in keys],
                [k[2] for k in keys],
                [tallies[k] for k in keys],
            ],
        )


def write_batch(batch: dict[tuple[str, int, bytes], datetime]) -> int:
    by_kind: dict[str, list] = {}
    for (kind, object_id, reader), at in sorted(batch.items()):
        by_kind.setdefault(kind, []).append((object_id, reader, at))
    _lock_counter_rows(by_kind)
    total = 0
    window = timedelta(minutes=settings.STATS_DEDUP_MINUTES)
    for kind, rows in by_kind.items():
        counter = _registry[kind]
        table = connection.ops.quote_name(counter.model._meta.db_table)
        column = connection.ops.quote_name(counter.model._meta.get_field(counter.field).column)
        pk = connection.ops.quote_name(counter.model._meta.pk.column)
        sql = f"""
            WITH marks AS (
                INSERT INTO stats_countmark AS m (kind, object_id, reader, counted_at)
                SELECT %s, t.object_id, t.reader, t.at
                FROM unnest(%s::bigint[], %s::bytea[], %s::timestamptz[])
                     AS t(object_id, reader, at)
                ORDER BY t.object_id, t.reader
                ON CONFLICT (kind, object_id, reader) DO UPDATE
                    SET counted_at = EXCLUDED.counted_at
                    WHERE m.counted_at <= EXCLUDED.counted_at - %s::interval
                RETURNING m.object_id, m.counted_at
            ), per_object AS (
                SELECT object_id, count(*) AS n FROM marks GROUP BY object_id
            ), bumped AS (
                -- Only rows _lock_counter_rows holds already: this takes no new lock.
                UPDATE {table} SET {column} = {column} + per_object.n
                FROM per_object WHERE {table}.{pk} = per_object.object_id
                RETURNING per_object.object_id, per_object.n
            ), counted AS (
                SELECT marks.object_id, (marks.counted_at AT TIME ZONE %s)::date AS day
                FROM marks JOIN bumped USING (object_id)
            ), buckets AS (
                SELECT 'd' AS bucket, day, object_id FROM counted
                UNION ALL
                SELECT 'm', date_trunc('month', day)::date, object_id FROM counted
            ), per_object_day AS (
                INSERT INTO stats_objectviews AS o (bucket, day, kind, object_id, n)
                SELECT bucket, day, %s, object_id, count(*) FROM buckets
                GROUP BY bucket, day, object_id ORDER BY bucket, day, object_id
                ON CONFLICT (bucket, day, kind, object_id) DO UPDATE SET n = o.n + EXCLUDED.n
            ), per_kind_day AS (
                INSERT INTO stats_breakdown AS b (bucket, day, dimension, value, n)
                SELECT bucket, day, 'kind', %s, count(*) FROM buckets
                GROUP BY bucket, day ORDER BY bucket, day
                ON CONFLICT (bucket, day, dimension, value) DO UPDATE SET n = b.n + EXCLUDED.n
            )
            SELECT coalesce(sum(n), 0) FROM bumped
        """  # noqa: S608 - identifiers come from the registry, values are parameters
        params = [
            kind,
            [r[0] for r in rows],
            [r[1] for r in rows],
            [r[2] for r in rows],
            window,
            settings.TIME_ZONE,
            kind,
            kind,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            total += int(cursor.fetchone()[0])
    return total


def _lock_counter_rows(by_kind: dict[str, list]) -> None:
    """Lock, in (table, id) order, every counter row this flush may update.

    Without it two flushes deadlock: the counter `UPDATE ... FROM` of write_batch locks
    rows in its join's order, not by id, and the kinds counting into one table (document
    views and downloads) are separate statements, so one flush could hold document 5 and
    want 3 while another holds 3 and wants 5. FOR NO KEY UPDATE is the lock the UPDATE
    takes anyway: it does not block inserts of rows that refer to these (comments).
    """
    ids_by_table: dict[str, tuple[type[models.Model], set[int]]] = {}
    for kind, rows in by_kind.items():
        model = _registry[kind].model
        entry = ids_by_table.setdefault(model._meta.db_table, (model, set()))
        entry[1].update(row[0] for row in rows)
    for db_table in sorted(ids_by_table):
        model, ids = ids_by_table[db_table]
        table = connection.ops.quote_name(db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk} FROM {table} WHERE {pk} = ANY(%s::bigint[])"  # noqa: S608
                f" ORDER BY {pk} FOR NO KEY UPDATE",
                [sorted(ids)],
            )


def purge_marks() -> int:
    """Delete marks that can no longer stop a count (older than the window).

    In the flushes' lock order (kind, object, reader; kinds compared byte by byte, as
    Python sorts them): a flush re-counting an old mark locks it, and a DELETE taking rows
    in table order could hold one the flush wants while waiting for one the flush holds.
    """
    cutoff = timezone.now() - timedelta(minutes=settings.STATS_DEDUP_MINUTES)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            DELETE FROM stats_countmark WHERE id IN (
                SELECT id FROM stats_countmark WHERE counted_at < %s
                ORDER BY kind COLLATE "C", object_id, reader
                FOR UPDATE
            )
            """,
            [cutoff],
        )
        return cursor.rowcount
