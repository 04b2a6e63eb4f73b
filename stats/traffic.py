"""Page views, visits and readers: the per-process aggregates the middleware fills, and the
batched statements that add them to the daily and hourly tables.

A page view costs a few dictionary increments in memory. Every STATS_FLUSH_INTERVAL the
flusher of stats.counting takes the aggregates of its process and, in one transaction:

1. upserts one stats_readerday row per (day, reader) seen, applying the visit rule in
   SQL (a new visit when the first view of the batch comes more than STATS_VISIT_MINUTES
   after the reader's last view, by whichever worker it was), and reads back through
   RETURNING whether the reader, the visit and which hours of the day are new;
2. adds page views per page, referring sites, browsers, systems and devices (per day and
   per month) with INSERT ... ON CONFLICT DO UPDATE SET n = n + EXCLUDED.n;
3. adds the hourly and then the daily totals, the hottest rows, last, so their row locks
   are held for the shortest time.

Every statement takes its rows in key order (ORDER BY), and stats.counting locks the
counter rows first, so concurrent flushes lock rows in one order and cannot deadlock each
other.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from stats.periods import month_start

CLIENT_DIMENSIONS = ("browser", "os", "device")


@dataclass(slots=True)
class ReaderMark:
    """One reader's views in this batch: when, in which hours, with which client."""

    first: datetime
    last: datetime
    hours: int
    client: tuple[str, str, str]
    # Starts of further visits inside the batch itself (a batch normally spans a second;
    # after a database outage it can span longer).
    gaps: list[datetime] = field(default_factory=list)


class Pending:
    """The page-view aggregates of one process since its last flush."""

    def __init__(self):
        self.page_views: Counter = Counter()  # (day, hour) -> page views
        self.pages: Counter = Counter()  # (day, path) -> page views
        self.referrers: Counter = Counter()  # (day, host) -> page views
        self.readers: dict[tuple[date, bytes], ReaderMark] = {}

    def __len__(self) -> int:
        return sum(self.page_views.values())

    def size(self) -> int:
        """Keys held: what memory grows with."""
        return len(self.page_views) + len(self.pages) + len(self.referrers) + len(self.readers)

    def add(self, *, at: datetime, reader: bytes, path: str, referrer: str, client) -> None:
        local = local_time(at)
        day, hour = local.date(), local.hour
        self.page_views[(day, hour)] += 1
        self.pages[(day, path)] += 1
        if referrer:
            self.referrers[(day, referrer)] += 1
        mark = self.readers.get((day, reader))
        if mark is None:
            self.readers[(day, reader)] = ReaderMark(at, at, 1 << hour, client)
            return
        if at > mark.last + visit_gap():
            mark.gaps.append(at)
        mark.first = min(mark.first, at)
        mark.last = max(mark.last, at)
        mark.hours |= 1 << hour

    def merge(self, other: "Pending") -> None:
        """Take back a batch that could not be written."""
        self.page_views.update(other.page_views)
        self.pages.update(other.pages)
        self.referrers.update(other.referrers)
        for key, theirs in other.readers.items():
            mine = self.readers.get(key)
            if mine is None:
                self.readers[key] = theirs
                continue
            mine.first = min(mine.first, theirs.first)
            mine.last = max(mine.last, theirs.last)
            mine.hours |= theirs.hours
            mine.gaps.extend(theirs.gaps)


def local_time(at: datetime) -> datetime:
    """`at` on the site's clock (TIME_ZONE, Asia/Ho_Chi_Minh): days and hours are counted
    there. The default zone, not the "current" one: looking that up costs more than the
    rest of counting a page view."""
    return at.astimezone(timezone.get_default_timezone())


def visit_gap() -> timedelta:
    return timedelta(minutes=settings.STATS_VISIT_MINUTES)


def write(pending: Pending) -> None:
    """Add one batch to the tables. Run inside a transaction (stats.counting does)."""
    daily: defaultdict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    hourly: defaultdict[tuple[date, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    breakdown: Counter = Counter()
    for (day, hour), n in pending.page_views.items():
        daily[day][0] += n
        hourly[(day, hour)][0] += n
    for (day, host), n in pending.referrers.items():
        breakdown[(day, "referrer", host)] += n

    for day, reader, new_reader, new_visit, new_hours in _upsert_readers(pending.readers):
        mark = pending.readers[(day, bytes(reader))]
        if new_reader:
            daily[day][2] += 1
            for dimension, value in zip(CLIENT_DIMENSIONS, mark.client, strict=True):
                breakdown[(day, dimension, value)] += 1
        starts = ([mark.first] if new_visit else []) + mark.gaps
        for at in starts:
            daily[day][1] += 1
            hourly[(day, local_time(at).hour)][1] += 1
        for hour in range(24):
            if new_hours >> hour & 1:
                hourly[(day, hour)][2] += 1

    _add_counts(
        "stats_pageviews",
        [("path", "text")],
        [(day, (path,), n) for (day, path), n in pending.pages.items()],
    )
    _add_counts(
        "stats_breakdown",
        [("dimension", "text"), ("value", "text")],
        [(day, (dim, value), n) for (day, dim, value), n in breakdown.items()],
    )
    _add_traffic("stats_hourlytraffic", ["day", "hour"], sorted(hourly.items()))
    _add_traffic("stats_dailytraffic", ["day"], [((d,), v) for d, v in sorted(daily.items())])


def _upsert_readers(marks: dict[tuple[date, bytes], ReaderMark]) -> list[tuple]:
    if not marks:
        return []
    keys = sorted(marks)
    gap = visit_gap()
    sql = """
        INSERT INTO stats_readerday AS r
            (day, reader, first_seen, last_seen, visits, hours,
             new_reader, new_visit, new_hours)
        SELECT t.day, t.reader, t.first_seen, t.last_seen, 1 + t.gaps, t.hours,
               true, true, t.hours
        FROM unnest(%s::date[], %s::bytea[], %s::timestamptz[], %s::timestamptz[],
                    %s::int[], %s::int[]) AS t(day, reader, first_seen, last_seen, gaps, hours)
        ORDER BY t.day, t.reader
        ON CONFLICT (day, reader) DO UPDATE SET
            new_reader = false,
            new_visit = EXCLUDED.first_seen > r.last_seen + %s::interval,
            visits = r.visits + EXCLUDED.visits - 1
                     + (EXCLUDED.first_seen > r.last_seen + %s::interval)::int,
            new_hours = EXCLUDED.hours & ~r.hours,
            hours = r.hours | EXCLUDED.hours,
            first_seen = least(r.first_seen, EXCLUDED.first_seen),
            last_seen = greatest(r.last_seen, EXCLUDED.last_seen)
        RETURNING r.day, r.reader, r.new_reader, r.new_visit, r.new_hours
    """
    params = [
        [k[0] for k in keys],
        [k[1] for k in keys],
        [marks[k].first for k in keys],
        [marks[k].last for k in keys],
        [len(marks[k].gaps) for k in keys],
        [marks[k].hours for k in keys],
        gap,
        gap,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _add_counts(table: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
    """Add (day, key, n) rows to a bucketed table, per day and per month; `columns` names
    and types the parts of the key."""
    if not rows:
        return
    totals: Counter = Counter()
    for day, key, n in rows:
        totals[("d", day, *key)] += n
        totals[("m", month_start(day), *key)] += n
    ordered = sorted(totals.items())
    names = ["bucket", "day", *(c[0] for c in columns)]
    arrays = ["%s::text[]", "%s::date[]", *(f"%s::{c[1]}[]" for c in columns), "%s::bigint[]"]
    order = ", ".join(str(i) for i in range(1, len(names) + 1))
    sql = f"""
        INSERT INTO {table} AS a ({", ".join(names)}, n)
        SELECT * FROM unnest({", ".join(arrays)}) ORDER BY {order}
        ON CONFLICT ({", ".join(names)}) DO UPDATE SET n = a.n + EXCLUDED.n
    """  # noqa: S608 - table and column names are constants of this module
    params = [[key[i] for key, _ in ordered] for i in range(len(names))]
    params.append([n for _, n in ordered])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _add_traffic(table: str, key_names: list[str], items) -> None:
    """Add [page views, visits, readers] to rows keyed by day (and hour)."""
    if not items:
        return
    types = {"day": "date", "hour": "smallint"}
    arrays = [f"%s::{types[k]}[]" for k in key_names] + ["%s::bigint[]"] * 3
    order = ", ".join(str(i) for i in range(1, len(key_names) + 1))
    sql = f"""
        INSERT INTO {table} AS a ({", ".join(key_names)}, page_views, visits, readers)
        SELECT * FROM unnest({", ".join(arrays)}) ORDER BY {order}
        ON CONFLICT ({", ".join(key_names)}) DO UPDATE SET
            page_views = a.page_views + EXCLUDED.page_views,
            visits = a.visits + EXCLUDED.visits,
            readers = a.readers + EXCLUDED.readers
    """  # noqa: S608 - table and column names are constants of this module
    params = [[key[i] for key, _ in items] for i in range(len(key_names))]
    params += [[v[i] for _, v in items] for i in range(3)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def purge_readers(today: date) -> int:
    """Forget readers of the days before yesterday (yesterday's stay for late flushes).

    In the flushes' lock order (day, reader), for a flush still carrying such a day."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            DELETE FROM stats_readerday WHERE id IN (
                SELECT id FROM stats_readerday WHERE day < %s
                ORDER BY day, reader FOR UPDATE
            )
            """,
            [today - timedelta(days=1)],
        )
        return cursor.rowcount
