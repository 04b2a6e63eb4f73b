from datetime import timedelta

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from portal import pagecache
from portal.http import NotFound
from schedule.models import Entry, Leader, Week, monday_of, parse_week, week_label

FEED_WEEKS_BACK = 8  # a calendar app keeps what it already has; the feed stays small
DAY_NAMES = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


class BadWeekError(Exception):
    pass


def _monday(request):
    raw = request.GET.get("tuan")
    if raw is None:
        return monday_of(timezone.localdate())
    try:
        return parse_week(raw)
    except ValueError:
        raise BadWeekError from None


def _leader(slug) -> Leader:
    leader = Leader.objects.filter(slug=slug).first()
    if leader is None:
        raise NotFound("Không có lãnh đạo này trong lịch công tác.")
    return leader


def _week_context(monday, leader=None) -> dict:
    """The published week starting `monday`, its entries grouped by day (for one leader
    when given), with the previous and next week's labels."""
    week = Week.objects.published().filter(start=monday).first()
    days = []
    if week is not None:
        entries = Entry.objects.filter(week=week).select_related("leader")
        if leader is not None:
            entries = entries.filter(leader=leader)
        by_day = {}
        for entry in entries:
            by_day.setdefault(entry.day, []).append(entry)
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if day in by_day:
                days.append({"day": day, "name": DAY_NAMES[offset], "entries": by_day[day]})
    return {
        "week": week, "monday": monday, "sunday": monday + timedelta(days=6), "days": days,
        "iso_week": monday.isocalendar()[1], "label": week_label(monday),
        "prev_label": week_label(monday - timedelta(days=7)),
        "next_label": week_label(monday + timedelta(days=7)),
        "leader": leader,
    }  # fmt: skip


def _render(request, template, leader=None):
    try:
        monday = _monday(request)
    except BadWeekError:
        context = {"error": "Tuần không hợp lệ. Hãy ghi tuần theo dạng năm-W-số tuần, "
                            "ví dụ 2026-W49.", "leaders": Leader.objects.filter(is_active=True)}  # fmt: skip
        return render(request, "schedule/bad_week.html", context, status=400)
    context = _week_context(monday, leader)
    context["leaders"] = Leader.objects.filter(is_active=True)
    return render(request, template, context)


@require_safe
@pagecache.cacheable
def week(request):
    return _render(request, "schedule/week.html")


@require_safe
@pagecache.cacheable
def leader_week(request, slug):
    return _render(request, "schedule/week.html", _leader(slug))


@require_safe
def week_print(request):
    slug = request.GET.get("lanh-dao")
    return _render(request, "schedule/print.html", _leader(slug) if slug else None)


@require_safe
def leader_feed(request, slug):
    """The leader's published entries as iCalendar (RFC 5545), for calendar apps to
    subscribe to: from FEED_WEEKS_BACK weeks ago on."""
    leader = _leader(slug)
    since = monday_of(timezone.localdate()) - timedelta(weeks=FEED_WEEKS_BACK)
    entries = Entry.objects.filter(
        leader=leader, week__published_at__isnull=False, day__gte=since
    ).order_by("day", "start")
    zone = timezone.get_default_timezone()
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_SITE_NAME}//Lich cong tac//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Lịch công tác: {leader.name}")
    calendar.add("x-wr-timezone", str(zone))
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", f"lich-cong-tac-{entry.pk}@{host}")
        event.add("dtstamp", entry.updated_at)
        event.add("last-modified", entry.updated_at)
        starts = timezone.datetime.combine(entry.day, entry.start, tzinfo=zone)
        event.add("dtstart", starts)
        if entry.end:
            event.add("dtend", timezone.datetime.combine(entry.day, entry.end, tzinfo=zone))
        event.add("summary", ("[Đã điều chỉnh] " if entry.adjusted else "") + entry.content)
        if entry.place:
            event.add("location", entry.place)
        details = [f"Thành phần: {entry.attendees}" if entry.attendees else "",
                   f"Chuẩn bị: {entry.preparer}" if entry.preparer else ""]  # fmt: skip
        if any(details):
            event.add("description", "\n".join(d for d in details if d))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="lich-cong-tac-{leader.slug}.ics"'
    return response
