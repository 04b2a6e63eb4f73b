"""Reports written to a folder: what the two commands share."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError

from portal import exports
from reports import library
from reports.forms import ReportForm
from stats.periods import Period

PERMISSION = "reports.view_reports"


def build_report(out, *, user, data: dict) -> None:
    """The task side of the "Báo cáo" page: the report its form asked for, checked again."""
    if not user.has_perm(PERMISSION):
        raise PermissionDenied
    form = ReportForm(data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_text())
    exports.write(form.cleaned_data["dinh_dang"], form.report().sheets(), out)


def write_reports(
    *, period: Period, folder: Path, slugs=None, formats=("xlsx",), category=None
) -> list[Path]:
    """Write each chosen report (all available ones by default) in each format; return the
    files. A file appears under its final name only once complete."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen = [library.get(s) for s in slugs] if slugs else library.available()
    written = []
    for cls in chosen:
        for fmt in formats:
            report = cls(period, category)
            path = folder / report.filename(fmt)
            part = path.with_name(path.name + ".part")
            with part.open("wb") as out:
                exports.write(fmt, report.sheets(), out)
            part.replace(path)
            written.append(path)
    return written
