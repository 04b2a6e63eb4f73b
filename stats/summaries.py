"""The summary of a period the dashboard shows (and the reports app reuses), read from the
aggregate tables only.

A fixed number of queries whatever the period: daily and hourly traffic of the days, then
"top" lists from the bucketed tables (whole months from monthly rows, see
PeriodQuerySet.in_period), and one query per counted kind for its top objects' titles.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst

from portal.exports import DATE, INT, Column, Sheet, made_at_text
from stats import agents, charts, counting
from stats.models import Breakdown, Bucket, DailyTraffic, HourlyTraffic, ObjectViews, PageViews
from stats.periods import Period, month_start

TOP = 20
CLIENT_DIMENSIONS = [
    (Breakdown.Dimension.BROWSER, "Trình duyệt"),
    (Breakdown.Dimension.OS, "Hệ điều hành"),
    (Breakdown.Dimension.DEVICE, "Thiết bị"),
]


@dataclass
class Row:
    label: str
    values: list[int]
    url: str = ""


@dataclass
class Table:
    """A chart's numbers, or a ranked list: headers, then rows of a label and numbers."""

    title: str
    headers: list[str]
    rows: list[Row]
    chart: str = ""
    share: bool = False  # show each row's share of the total, with a bar
    slug: str = ""  # for the CSV export of the whole list

    @property
    def total(self) -> int:
        return sum(r.values[0] for r in self.rows)

    def shares(self):
        total = self.total or 1
        for row in self.rows:
            yield row, round(100 * row.values[0] / total, 1)


@dataclass
class Summary:
    period: Period
    page_views: int = 0
    visits: int = 0
    readers: int = 0
    charts: list[Table] = field(default_factory=list)
    tops: list[Table] = field(default_factory=list)
    clients: list[Table] = field(default_factory=list)

    @property
    def pages_per_visit(self) -> str:
        return number_format(self.page_views / self.visits, 2) if self.visits else "0"


def kind_label(kind: str) -> str:
    """'Bài viết (lượt xem)', from the registered model and counter field."""
    try:
        counter = counting.registered(kind)
    except KeyError:
        return kind
    meta = counter.model._meta
    name = str(meta.verbose_name_plural)
    return f"{name[:1].upper()}{name[1:]} ({meta.get_field(counter.field).verbose_name})"


def daily_traffic(period: Period) -> list[tuple]:
    """(day, page views, visits, readers) for every day of the period up to today, zeros
    included (days still to come are not zero days: they are left out)."""
    today = timezone.localdate()
    found = {
        row[0]: row[1:]
        for row in DailyTraffic.objects.filter(
            day__gte=period.start, day__lte=period.end
        ).values_list("day", "page_views", "visits", "readers")
    }
    return [(day, *found.get(day, (0, 0, 0))) for day in period.each_day() if day <= today]


def build(period: Period) -> "Summary":
    summary = Summary(period)
    days = daily_traffic(period)
    summary.page_views = sum(d[1] for d in days)
    summary.visits = sum(d[2] for d in days)
    summary.readers = sum(d[3] for d in days)
    headers = ["Lượt truy cập", "Lượt xem trang", "Người đọc"]

    labels = [f"{d[0]:%d/%m}" for d in days]
    summary.charts.append(
        Table(
            "Theo ngày",
            headers,
            [Row(f"{d[0]:%d/%m/%Y}", [d[2], d[1], d[3]]) for d in days],
            chart=charts.line_chart(
                "Lượt truy cập và lượt xem trang theo ngày",
                labels,
                [
                    charts.Series("Lượt truy cập", [d[2] for d in days]),
                    charts.Series("Lượt xem trang", [d[1] for d in days]),
                ],
            ),
            slug="ngay",
        )
    )

    hours = {
        h["hour"]: h
        for h in HourlyTraffic.objects.filter(day__gte=period.start, day__lte=period.end)
        .values("hour")
        .annotate(pv=Sum("page_views"), v=Sum("visits"), r=Sum("readers"))
    }
    hour_rows = [
        Row(f"{h:02d}:00–{h:02d}:59", [hours[h]["v"], hours[h]["pv"], hours[h]["r"]])
        if h in hours
        else Row(f"{h:02d}:00–{h:02d}:59", [0, 0, 0])
        for h in range(24)
    ]
    summary.charts.append(
        Table(
            "Theo giờ trong ngày",
            headers,
            hour_rows,
            chart=charts.bar_chart(
                "Lượt truy cập và lượt xem trang theo giờ trong ngày (cộng cả kỳ)",
                [f"{h}h" for h in range(24)],
                [
                    charts.Series("Lượt truy cập", [r.values[0] for r in hour_rows]),
                    charts.Series("Lượt xem trang", [r.values[1] for r in hour_rows]),
                ],
            ),
        )
    )

    months: dict = defaultdict(lambda: [0, 0, 0])
    for day, pv, v, r in days:
        m = months[month_start(day)]
        m[0] += v
        m[1] += pv
        m[2] += r
    month_rows = [Row(f"{m:%m/%Y}", months[m]) for m in period.each_month()]
    summary.charts.append(
        Table(
            "Theo tháng",
            headers,
            month_rows,
            chart=charts.bar_chart(
                "Lượt truy cập và lượt xem trang theo tháng",
                [r.label for r in month_rows],
                [
                    charts.Series("Lượt truy cập", [r.values[0] for r in month_rows]),
                    charts.Series("Lượt xem trang", [r.values[1] for r in month_rows]),
                ],
            ),
        )
    )

    per_kind: dict[str, dict] = defaultdict(dict)
    for kind, day, n in Breakdown.objects.filter(
        bucket=Bucket.DAY,
        dimension=Breakdown.Dimension.KIND,
        day__gte=period.start,
        day__lte=period.end,
    ).values_list("value", "day", "n"):
        per_kind[kind][day] = n
    for kind in sorted(per_kind):
        values = [per_kind[kind].get(day[0], 0) for day in days]
        label = kind_label(kind)
        summary.charts.append(
            Table(
                f"{label} theo ngày",
                ["Lượt"],
                [Row(f"{d[0]:%d/%m/%Y}", [v]) for d, v in zip(days, values, strict=True)],
                chart=charts.line_chart(
                    f"{label} theo ngày", labels, [charts.Series(label, values)]
                ),
            )
        )

    for counter in counting.kinds():
        summary.tops.append(top_objects(period, counter.kind))
    summary.tops.append(top_pages(period))
    summary.tops.append(top_referrers(period))
    summary.clients = clients(period)
    return summary


def top_objects(period: Period, kind: str, limit: int | None = TOP) -> Table:
    rows = (
        ObjectViews.objects.in_period(period.start, period.end)
        .filter(kind=kind)
        .values_list("object_id")
        .annotate(total=Sum("n"))
        .order_by("-total", "object_id")
    )
    if limit:
        rows = rows[:limit]
    rows = list(rows)
    objects = {}
    try:
        model = counting.registered(kind).model
        objects = model._default_manager.in_bulk([object_id for object_id, _ in rows])
    except KeyError:
        pass
    table_rows = []
    for object_id, total in rows:
        obj = objects.get(object_id)
        if obj is None:
            table_rows.append(Row(f"#{object_id} (đã xoá)", [total]))
            continue
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        table_rows.append(Row(str(obj), [total], url))
    return Table(kind_label(kind), ["Lượt"], table_rows, slug=kind)


def top_pages(period: Period, limit: int | None = TOP) -> Table:
    rows = (
        PageViews.objects.in_period(period.start, period.end)
        .values_list("path")
        .annotate(total=Sum("n"))
        .order_by("-total", "path")
    )
    if limit:
        rows = rows[:limit]
    return Table(
        "Trang được xem nhiều",
        ["Lượt xem"],
        [Row(path, [total], path) for path, total in rows],
        slug="trang",
    )


def top_referrers(period: Period, limit: int | None = TOP) -> Table:
    rows = (
        Breakdown.objects.in_period(period.start, period.end)
        .filter(dimension=Breakdown.Dimension.REFERRER)
        .values_list("value")
        .annotate(total=Sum("n"))
        .order_by("-total", "value")
    )
    if limit:
        rows = rows[:limit]
    return Table(
        "Trang dẫn đến (lượt xem trang)",
        ["Lượt xem"],
        [Row(host, [total]) for host, total in rows],
        share=True,
        slug="nguon",
    )


def clients(period: Period) -> list[Table]:
    totals: dict[str, list] = defaultdict(list)
    for dimension, value, total in (
        Breakdown.objects.in_period(period.start, period.end)
        .filter(dimension__in=[d for d, _ in CLIENT_DIMENSIONS])
        .values_list("dimension", "value")
        .annotate(total=Sum("n"))
        .order_by("dimension", "-total", "value")
    ):
        totals[dimension].append(Row(agents.label(dimension, value), [total]))
    return [
        Table(f"{title} (người đọc theo ngày)", ["Người đọc"], totals[dim], share=True)
        for dim, title in CLIENT_DIMENSIONS
    ]


def export_sheet(period: Period, what: str) -> Sheet | None:
    """One whole list of the period as a sheet for the CSV download (written by
    portal.exports like the reports: title row with the period, escaped cells, totals);
    None when `what` names no list."""

    def sheet(title: str, columns: list[Column], rows) -> Sheet:
        heading = f"Thống kê truy cập: {title} — {capfirst(period.label)} — {made_at_text()}"
        return Sheet(title[:31], heading, columns, rows)

    if what == "ngay":
        columns = [
            Column("Ngày", DATE),
            Column("Lượt xem trang", INT, total=True),
            Column("Lượt truy cập", INT, total=True),
            Column("Người đọc trong ngày", INT, total=True),
        ]
        return sheet("Theo ngày", columns, [list(day) for day in daily_traffic(period)])
    if what == "trang":
        table = top_pages(period, limit=None)
        columns = [Column("Trang"), Column("Lượt xem", INT, total=True)]
    elif what == "nguon":
        table = top_referrers(period, limit=None)
        columns = [Column("Trang dẫn đến"), Column("Lượt xem", INT, total=True)]
    elif what in {c.kind for c in counting.kinds()}:
        table = top_objects(period, what, limit=None)
        columns = [Column(table.title), Column("Lượt", INT, total=True), Column("Địa chỉ")]
        return sheet(table.title, columns, [[r.label, r.values[0], r.url] for r in table.rows])
    else:
        return None
    return sheet(table.title, columns, [[r.label, r.values[0]] for r in table.rows])
