"""The period a dashboard or a report covers (a month, a quarter, a year, a range of days,
in local time, Asia/Ho_Chi_Minh), and how a period splits into whole months and loose days.

One Period for the statistics dashboard and the reports app (which imports stats)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

YEAR_MIN, YEAR_MAX = 2000, 2100


class PeriodError(ValueError):
    """A period that cannot be (the message is for the user, in Vietnamese)."""


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
    label: str  # "tháng 10/2026"
    slug: str = ""  # "2026-10", for a report's file name
    monthly: bool = False  # visits are shown per month (a year, or a long range)

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

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [from, to): local midnight of the first day and of the day
        after the last."""
        return (
            timezone.make_aware(datetime.combine(self.start, time.min)),
            timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min)),
        )

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        _check_year(year)
        if not 1 <= month <= 12:
            raise PeriodError("Tháng phải từ 1 đến 12.")
        first = date(year, month, 1)
        return cls(first, month_end(first), f"tháng {month:02d}/{year}", f"{year}-{month:02d}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        _check_year(year)
        if not 1 <= quarter <= 4:
            raise PeriodError("Quý phải từ 1 đến 4.")
        first = date(year, 3 * quarter - 2, 1)
        last = month_end(date(year, 3 * quarter, 1))
        return cls(first, last, f"quý {quarter}/{year}", f"{year}-q{quarter}")

    @classmethod
    def year(cls, year: int) -> "Period":
        _check_year(year)
        return cls(date(year, 1, 1), date(year, 12, 31), f"năm {year}", f"{year}", monthly=True)

    @classmethod
    def range(cls, start: date, end: date) -> "Period":
        _check_year(start.year)
        _check_year(end.year)
        if end < start:
            raise PeriodError("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
        return cls(
            start,
            end,
            f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}",
            f"{start:%Y-%m-%d}-den-{end:%Y-%m-%d}",
            monthly=(end - start).days >= 366,
        )

    @classmethod
    def previous_month(cls, today: date | None = None) -> "Period":
        first = (today or timezone.localdate()).replace(day=1) - timedelta(days=1)
        return cls.month(first.year, first.month)

    @classmethod
    def parse(cls, text: str) -> "Period":
        """For the commands: 2026-10 (a month), 2026-q4 (a quarter), 2026 (a year),
        2026-10-01:2026-10-15 (a range of days)."""
        text = text.strip().lower()
        try:
            if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
                return cls.month(int(m[1]), int(m[2]))
            if m := re.fullmatch(r"(\d{4})-q(\d)", text):
                return cls.quarter(int(m[1]), int(m[2]))
            if re.fullmatch(r"\d{1,5}", text):
                return cls.year(int(text))
            if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})", text):
                return cls.range(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
        except ValueError as error:
            if isinstance(error, PeriodError):
                raise
            raise PeriodError(f"Ngày không hợp lệ: {text}.") from None
        raise PeriodError(
            f"Không hiểu kỳ báo cáo “{text}”: dùng 2026-10 (tháng), 2026-q4 (quý), "
            "2026 (năm) hoặc 2026-10-01:2026-10-15 (khoảng ngày)."
        )


def _check_year(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise PeriodError(f"Năm phải từ {YEAR_MIN} đến {YEAR_MAX}.")
