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
and a page view costs no database write at all. A graceful stop flushes (gunicorn's
worker_exit hook and atexit); a hard kill loses at most one interval of counts.
"""

import atexit
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from stats import readers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counter:
    kind: str
    model: type[models.Model]
    field: str


_registry: dict[str, Counter] = {}


def register(kind: str, model: type[models.Model], field: str) -> None:
    """Declare that `kind` counts into `model.field` (called from an AppConfig.ready)."""
    _registry[kind] = Counter(kind, model, field)


def registered(kind: str) -> Counter:
    return _registry[kind]


class Buffer:
    """Counted triples of this process, waiting to be written."""

    # Above this many pending triples (a long database outage) the oldest are dropped
    # rather than let a worker's memory grow without bound; the loss is logged.
    MAX_PENDING = 200_000

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, int, bytes], datetime] = {}
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

    def pending(self) -> int:
        return len(self._pending)

    def _take(self) -> dict:
        with self._lock:
            batch, self._pending = self._pending, {}
        return batch

    def _put_back(self, batch: dict) -> None:
        with self._lock:
            for key, at in batch.items():
                self._pending.setdefault(key, at)

    def flush(self) -> int:
        """Write everything pending; return the number of counts that were new."""
        with self._flush_lock:
            batch = self._take()
            if not batch:
                return 0
            try:
                return write_batch(batch)
            except Exception:
                self._put_back(batch)
                log.exception("stats flush failed; %d counts kept for the next try", len(batch))
                # A broken connection must not stay broken for the next flush.
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


def count(kind: str, object_id: int, request) -> None:
    """Count one view (or download, or click) of an object by the reader of `request`.

    Bots and staff do not count. Never raises: counting must not break a page.
    """
    try:
        if readers.is_bot(request.META.get("HTTP_USER_AGENT", "")):
            return
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            return
        buffer.add(kind, object_id, readers.reader_id(request), timezone.now())
    except Exception:
        log.exception("could not count %s %s", kind, object_id)
        if settings.DEBUG:
            raise


def write_batch(batch: dict[tuple[str, int, bytes], datetime]) -> int:
    by_kind: dict[str, list] = {}
    for (kind, object_id, reader), at in batch.items():
        by_kind.setdefault(kind, []).append((object_id, reader, at))
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
                ON CONFLICT (kind, object_id, reader) DO UPDATE
                    SET counted_at = EXCLUDED.counted_at
                    WHERE m.counted_at <= EXCLUDED.counted_at - %s::interval
                RETURNING m.object_id
            ), per_object AS (
                SELECT object_id, count(*) AS n FROM marks GROUP BY object_id
            ), bumped AS (
                UPDATE {table} SET {column} = {column} + per_object.n
                FROM per_object WHERE {table}.{pk} = per_object.object_id
                RETURNING per_object.n
            )
            SELECT coalesce(sum(n), 0) FROM bumped
        """  # noqa: S608 - identifiers come from the registry, values are parameters
        params = [
            kind,
            [r[0] for r in rows],
            [r[1] for r in rows],
            [r[2] for r in rows],
            window,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            total += int(cursor.fetchone()[0])
    return total


def purge_marks() -> int:
    """Delete marks that can no longer stop a count (older than the window)."""
    from stats.models import CountMark

    cutoff = timezone.now() - timedelta(minutes=settings.STATS_DEDUP_MINUTES)
    deleted, _ = CountMark.objects.filter(counted_at__lt=cutoff).delete()
    return deleted
