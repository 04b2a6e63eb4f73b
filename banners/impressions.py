"""Daily tallies of banner impressions, without a query per page.

A page that shows banners adds 1 to (kind, banner, today) in this process's memory; a
background thread (every STATS_FLUSH_INTERVAL seconds, like stats.counting) writes all of
them as one statement:

    INSERT INTO banners_dailytally (kind, object_id, day, n) SELECT ... FROM unnest(...)
    ON CONFLICT (kind, object_id, day) DO UPDATE SET n = banners_dailytally.n + EXCLUDED.n

so concurrent workers add up instead of overwriting, and a page view writes nothing.

Impressions are not per-reader counts (every page view shows the banners again), so they do
not go through stats.counting's once-per-reader rule. Clicks do: they are an ordinary
stats counter ("banner_click"), per day in stats_objectviews (see banners.reports).
"""

import atexit
import logging
import threading
import time
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils import timezone

from stats import readers

log = logging.getLogger(__name__)

IMPRESSION = "banner_impression"


class DailyTally:
    """Pending (kind, object_id, day) -> n of this process."""

    MAX_PENDING = 100_000

    def __init__(self):
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._pending: dict[tuple[str, int, date], int] = {}
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def add(self, kind: str, object_id: int, n: int = 1, day: date | None = None) -> None:
        key = (kind, int(object_id), day or timezone.localdate())
        with self._lock:
            if key not in self._pending and len(self._pending) >= self.MAX_PENDING:
                log.error("impression tally full: dropped %s", key)
                return
            self._pending[key] = self._pending.get(key, 0) + n
        self._ensure_thread()

    def add_each(self, kind: str, object_ids: list[int], day: date) -> None:
        """1 for each of `object_ids` (a page's banners), under one lock."""
        with self._lock:
            pending = self._pending  # take() swaps it: read under the lock
            for object_id in object_ids:
                key = (kind, object_id, day)
                if key not in pending and len(pending) >= self.MAX_PENDING:
                    log.error("impression tally full: dropped %s", key)
                    continue
                pending[key] = pending.get(key, 0) + 1
        self._ensure_thread()

    def pending(self) -> dict:
        with self._lock:
            return dict(self._pending)

    def take(self) -> dict:
        with self._lock:
            batch, self._pending = self._pending, {}
        return batch

    def _put_back(self, batch: dict) -> None:
        with self._lock:
            for key, n in batch.items():
                self._pending[key] = self._pending.get(key, 0) + n

    def flush(self) -> int:
        """Write everything pending; return how many rows were touched."""
        with self._flush_lock:
            batch = self.take()
            if not batch:
                return 0
            try:
                return write_batch(batch)
            except Exception:
                self._put_back(batch)
                log.exception("impression flush failed; %d tallies kept", len(batch))
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
                target=self._loop, args=(interval,), name="impression-flusher", daemon=True
            )
            self._thread.start()

    def _loop(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.flush()
        connection.close()

    def stop(self) -> None:
        self._stop.set()
        self.flush()


def write_batch(batch: dict[tuple[str, int, date], int]) -> int:
    from banners.models import DailyTally as Row

    table = connection.ops.quote_name(Row._meta.db_table)
    sql = f"""
        INSERT INTO {table} AS t (kind, object_id, day, n)
        SELECT b.kind, b.object_id, b.day, b.n
        FROM unnest(%s::varchar[], %s::bigint[], %s::date[], %s::bigint[])
             AS b(kind, object_id, day, n)
        ON CONFLICT (kind, object_id, day) DO UPDATE SET n = t.n + EXCLUDED.n
    """  # noqa: S608 - the table name comes from the model
    keys = list(batch)
    params = [
        [k[0] for k in keys],
        [k[1] for k in keys],
        [k[2] for k in keys],
        [batch[k] for k in keys],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


tally = DailyTally()
atexit.register(tally.flush)


_day = {"second": -1, "day": None}


def _today() -> date:
    """timezone.localdate(), computed once a second (it reads the current time zone from a
    context-local, slow enough to matter when every page view counts banners)."""
    second = int(time.time())
    if _day["second"] != second:
        _day["second"], _day["day"] = second, timezone.localdate()
    return _day["day"]


def counts(request) -> bool:
    """The same readers stats.counting counts: not bots, not staff (and no error pages)."""
    if getattr(request, "portal_no_impressions", False):
        return False
    if readers.is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    # Only a request with a session can be staff: a reader's page view loads no user (and
    # no session), as in stats.middleware.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


def count_impressions(banner_ids: list[int], request) -> None:
    """One impression for each banner shown on this page view. Never raises."""
    if not banner_ids:
        return
    try:
        if not counts(request):
            return
        tally.add_each(IMPRESSION, banner_ids, _today())
    except Exception:
        log.exception("could not count impressions")
        if settings.DEBUG:
            raise
