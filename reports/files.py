"""Reports written to a folder: what the two commands share."""

from pathlib import Path

from portal import exports
from reports import library
from reports.periods import Period


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
