from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.exports import csv_chunks
from stats import blocks, summaries
from stats.forms import PeriodForm, default_period, presets


@require_GET
def dashboard(request):
    """Thống kê truy cập: charts and tables of one period (admin site, staff with
    stats.view_dashboard)."""
    if not request.user.has_perm("stats.view_dashboard"):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    status, summary = 200, None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        period = form.period if form.is_bound else default_period()
        export = request.GET.get("xuat")
        if export:
            return _csv(period, export)
        summary = summaries.build(period)
    context = {
        **admin.site.each_context(request),
        "title": "Thống kê truy cập",
        "form": form,
        "summary": summary,
        "presets": presets(),
        "totals": blocks.site_totals(),
        "query": request.GET.urlencode(),
    }
    return render(request, "stats/dashboard.html", context, status=status)


def _csv(period, what: str) -> HttpResponse:
    sheet = summaries.export_sheet(period, what)
    if sheet is None:
        return HttpResponse(
            "Không có bảng số liệu này.", status=400, content_type="text/plain; charset=utf-8"
        )
    # The whole list of one period: small enough to write at once (a row per day, page,
    # referrer host or object), through the same writer as the reports.
    response = HttpResponse(b"".join(csv_chunks([sheet])), content_type="text/csv; charset=utf-8")
    name = f"thong-ke-{what}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
