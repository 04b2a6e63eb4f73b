from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from portal import exports
from reports.files import PERMISSION
from reports.forms import ReportForm


def _check(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _page(request, form, status=200):
    context = {**admin.site.each_context(request), "title": "Báo cáo", "form": form}
    return render(request, "reports/index.html", context, status=status)


@require_GET
def index(request):
    """Báo cáo: choose a report, a period, a category and a format."""
    _check(request)
    return _page(request, ReportForm())


@require_GET
def download(request):
    """Build the chosen report; the file if it is ready within the wait, else the page that
    waits for it. A bad period is the form again with its error (400)."""
    _check(request)
    form = ReportForm(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    report = form.report()
    fmt = form.cleaned_data["dinh_dang"]
    exports.export_started.send(sender=None, request=request, filename=report.filename(fmt))
    export = exports.start_export(
        request.user, report.filename(fmt), "reports.files.build_report", data=request.GET.dict()
    )
    return _response(request, export)


@require_GET
def export_file(request, job_id):
    _check(request)
    return _response(request, exports.Export.find(request.user, job_id))


def _response(request, export):
    request.admin_context = admin.site.each_context(request)
    return exports.export_response(
        request,
        export,
        status_url=reverse("reports:file", args=[export.job_id]),
        back_url=reverse("reports:index"),
    )
