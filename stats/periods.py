"""Periods of days, and how a period splits into whole months and loose days."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return (month_end(day) + timedelta(days=1)).replace(day=1)


def split_months(start: date, end: date):
    """(head, months, tail) for the days start..end inclusive: `months` are the first days
    of the whole months inside, `head` and `tail` are (first, last) day ranges outside
    them, or (None, None). With no whole month, everything is in `head`."""
    none = (None, None)
    first_whole = start if start.day == 1 else next_month(start)
    months = []
    m = first_whole
    while m <= end and month_end(m) <= end:
        months.append(m)
        m = next_month(m)
    if not months:
        return (start, end), [], none
    head = (start, months[0] - timedelta(days=1)) if start < months[0] else none
    last = month_end(months[-1])
    tail = (last + timedelta(days=1), end) if last < end else none
    return head, months, tail


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def each_day(self):
        day = self.start
        while day <= self.end:
            yield day
            day += timedelta(days=1)

    def each_month(self):
        m = month_start(self.start)
        while m <= self.end:
            yield m
            m = next_month(m)

    @classmethod
    def for_month(cls, first: date) -> "Period":
        return cls(first, month_end(first), f"Tháng {first.month:02d}/{first.year}")

    @classmethod
    def for_year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31), f"Năm {year}")

    @classmethod
    def for_days(cls, start: date, end: date) -> "Period":
        return cls(start, end, f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}")
