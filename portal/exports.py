"""Spreadsheet exports, shared by the admin changelists and the reports app.

A `Sheet` is a title row, typed columns and an iterator of rows. It is written as XLSX
(openpyxl in write-only mode: each row goes to disk as it comes, so memory stays flat
whatever the size) or as CSV (UTF-8 with a BOM for Excel, RFC 4180 quoting).

A large export takes longer than a web worker may hold a request (gunicorn's sync workers
are killed after 30 s, streamed response or not), so the file is built in a thread into
EXPORTS_DIR: the request waits up to EXPORTS_WAIT_SECONDS and sends the file if it is ready
by then; otherwise it answers a page that reloads itself until the file is there, and then
the download starts. Finished files are kept for EXPORTS_KEEP_HOURS, readable only by the
user who asked for them.

`ExportMixin` gives a ModelAdmin "Xuất XLSX" / "Xuất CSV" buttons that export the rows the
changelist currently shows (its filters, search and ordering, all pages).
"""

from __future__ import annotations

import csv
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.dispatch import Signal
from django.http import FileResponse, Http404, HttpRequest, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django_tasks import task

from portal.text import vn_slugify

log = logging.getLogger(__name__)

# Who may export: the reporting permission (held by a model of the reports app; this
# module only names it, it does not import the app).
EXPORT_PERMISSION = "reports.view_reports"

# Sent with (request, filename) when someone asks for an export: the audit log listens.
export_started = Signal()

TEXT, INT, DECIMAL, DATE, DATETIME = "text", "int", "decimal", "date", "datetime"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Counts grouped by thousands, decimals with two places at most: the spreadsheet draws the
# separators of the reader's own settings ("8.692.055" and "46,33" in Vietnamese), and the
# cell stays a number.
NUMBER_FORMATS = {INT: "#,##0", DECIMAL: "#,##0.0#"}

# A spreadsheet reads a cell starting with one of these as a formula (or a DDE command);
# the full-width forms too in some of them (an IME types them).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Control characters XML 1.0 cannot carry (openpyxl refuses them); never meaningful in a
# title or a comment, so they are dropped from both formats.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_MAX_TEXT = 32767  # Excel's limit for one cell


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: float = 16
    total: bool = False  # summed in the totals row


@dataclass
class Sheet:
    """One table: `rows` is any iterable (a generator over a queryset iterator)."""

    name: str  # the XLSX sheet tab (at most 31 characters)
    heading: str  # the title row: which report, which period, when it was made
    columns: list[Column]
    rows: Iterable[Sequence]
    totals_label: str | None = "Tổng cộng"  # None: no totals row


class SlugLinks:
    """Absolute links by slug without a reverse() per row (200,000 rows):
    SlugLinks("news:article")("ten-bai") -> "https://site/bai-viet/ten-bai/"."""

    def __init__(self, url_name: str):
        self.url_name = url_name
        # Resolved on first use, not at import, and again if SITE_URL changes.
        self._parts: tuple[str, str, str] | None = None  # (site, before, after)

    def __call__(self, slug: str) -> str:
        if self._parts is None or self._parts[0] != settings.SITE_URL:
            marker = "__slug__"
            url = settings.SITE_URL + reverse(self.url_name, kwargs={"slug": marker})
            self._parts = (settings.SITE_URL, *url.split(marker))
        return f"{self._parts[1]}{slug}{self._parts[2]}"


def made_at_text(moment: datetime | None = None) -> str:
    moment = timezone.localtime(moment or timezone.now())
    return f"lập lúc {moment:%H:%M} ngày {moment:%d/%m/%Y}"


def xml_safe(value) -> str:
    """`value` as text without the control characters XML (and so a spreadsheet cell)
    refuses; nothing else changes (user text is cleaned on input, comments.spam)."""
    return _ILLEGAL.sub("", str(value))


def _local(value: datetime) -> datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def is_formula_like(text: str) -> bool:
    """The one test of every text cell this project writes, CSV or XLSX (title rows and
    headers included): a cell that a spreadsheet would run is written as typed text."""
    return text.startswith(FORMULA_PREFIXES)


class _Totals:
    def __init__(self, columns: list[Column]):
        self.columns = columns
        self.sums = [0 if c.total else None for c in columns]
        self.count = 0

    def add(self, row: Sequence) -> None:
        self.count += 1
        for i, value in enumerate(row):
            if self.sums[i] is not None and isinstance(value, int | float | Decimal):
                self.sums[i] += value

    def row(self, label: str) -> list:
        out = list(self.sums)
        out[0] = f"{label} ({self.count} dòng)"
        return out


# --- XLSX --------------------------------------------------------------------------------


def _xlsx_cell(ws, value, column: Column, font=None, *, make):
    """What to append for one value: a plain string or None as is (the fast path), else
    a WriteOnlyCell carrying its type and number format."""
    kind = type(value)
    if font is None and (kind is int or kind is float) and column.kind not in NUMBER_FORMATS:
        return value  # a number in a text column: as it is, without a style lookup
    if value is None or value == "":
        return None
    if kind is bool:
        value = "Có" if value else "Không"
    if column.kind in (DATE, DATETIME) and isinstance(value, date):
        if isinstance(value, datetime):
            value = _local(value) if column.kind == DATETIME else _local(value).date()
        c = make(ws, value)
        c.number_format = DATETIME_FORMAT if column.kind == DATETIME else DATE_FORMAT
    elif isinstance(value, int | float | Decimal) and kind is not bool:
        c = make(ws, float(value) if isinstance(value, Decimal) else value)
        c.number_format = NUMBER_FORMATS.get(column.kind, "General")
    else:
        text = xml_safe(value)[:_XLSX_MAX_TEXT]
        formula_like = is_formula_like(text)
        if font is None and not formula_like:
            return text
        c = make(ws, text)
        # Stored as a string, never a formula, and marked as typed text (Excel's leading
        # apostrophe, not part of the value) so that editing the cell keeps it text.
        c.data_type = "s"
        c.quotePrefix = formula_like
    if font is not None:
        c.font = font
    return c


def write_xlsx(sheets: Iterable[Sheet], out: BinaryIO | str | os.PathLike) -> None:
    # Imported here: a web worker that never exports does not carry openpyxl.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    title_font = Font(bold=True, size=13)
    wrap = Alignment(wrap_text=True, vertical="center")

    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name[:31])
        columns = sheet.columns
        for i, column in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = column.width
        ws.freeze_panes = "A3"  # the title row and the header stay in view

        ws.append([_xlsx_cell(ws, sheet.heading, Column(""), title_font, make=WriteOnlyCell)])
        header = []
        for column in columns:
            head = _xlsx_cell(ws, column.header, Column(""), bold, make=WriteOnlyCell)
            head.alignment = wrap
            header.append(head)
        ws.append(header)

        totals = _Totals(columns)
        for row in sheet.rows:
            totals.add(row)
            ws.append(
                [
                    _xlsx_cell(ws, v, c, make=WriteOnlyCell)
                    for v, c in zip(row, columns, strict=True)
                ]
            )
        if sheet.totals_label and any(c.total for c in columns):
            total_row = totals.row(sheet.totals_label)
            ws.append(
                [
                    _xlsx_cell(ws, v, c, bold, make=WriteOnlyCell)
                    for v, c in zip(total_row, columns, strict=True)
                ]
            )
    workbook.save(out)


# --- CSV ---------------------------------------------------------------------------------


def _csv_value(value, column: Column):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    # Day first, as the pages and the XLSX cells show dates (and as Excel set to
    # Vietnamese reads them).
    if isinstance(value, datetime):
        value = _local(value)
        return f"{value:%d/%m/%Y}" if column.kind == DATE else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float | Decimal):
        return f"{value:.2f}"
    if isinstance(value, int):
        return str(value)
    text = xml_safe(value)
    # A CSV cell has no type: the OWASP advice is a leading apostrophe, which makes every
    # spreadsheet read the cell as text.
    return "'" + text if is_formula_like(text) else text


class _Sink:
    """A file-like that keeps only the text written since it was last emptied."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def csv_chunks(sheets: Iterable[Sheet], *, rows_per_chunk: int = 2000) -> Iterable[bytes]:
    """UTF-8 CSV with a BOM, in chunks: several sheets follow one another, each with its
    own title row, separated by an empty line."""
    sink = _Sink()
    writer = csv.writer(sink, lineterminator="\r\n")
    yield "\ufeff".encode()
    for n, sheet in enumerate(sheets):
        if n:
            writer.writerow([])
        writer.writerow([_csv_value(sheet.heading, Column(""))])
        writer.writerow([_csv_value(c.header, Column("")) for c in sheet.columns])
        totals = _Totals(sheet.columns)
        columns = sheet.columns
        pending = 0
        for row in sheet.rows:
            totals.add(row)
            writer.writerow([_csv_value(v, c) for v, c in zip(row, columns, strict=True)])
            pending += 1
            if pending >= rows_per_chunk:
                yield sink.take().encode()
                pending = 0
        if sheet.totals_label and any(c.total for c in columns):
            total_row = totals.row(sheet.totals_label)
            writer.writerow([_csv_value(v, c) for v, c in zip(total_row, columns, strict=True)])
        yield sink.take().encode()


def write_csv(sheets: Iterable[Sheet], out: BinaryIO) -> None:
    for chunk in csv_chunks(sheets):
        out.write(chunk)


def write(fmt: str, sheets: Iterable[Sheet], out: BinaryIO) -> None:
    if fmt == "xlsx":
        write_xlsx(sheets, out)
    elif fmt == "csv":
        write_csv(sheets, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}")


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


# --- Export files: built by the task worker, served to their owner -------------------------
#
# A large export takes longer than a gunicorn worker may spend on a request (30 s), and
# building it in a thread of that worker took its CPU away from readers. So the file is a
# task (django-tasks, with its database backend: no broker, PostgreSQL only) that
# `manage.py db_worker` runs in its own process; `make run` starts one. The request waits
# a moment for small files and otherwise answers a page that reloads until the file is there.

_JOB_ID = re.compile(r"^[0-9a-f]{32}$")
_PART = ".part"
_ERROR = "error.txt"


def _user_dir(user_id) -> Path:
    return Path(settings.EXPORTS_DIR) / str(user_id)


@dataclass
class Export:
    """An export file on disk: EXPORTS_DIR/<user id>/<job id>/<file name>."""

    folder: Path
    filename: str = ""

    @property
    def job_id(self) -> str:
        return self.folder.name

    @property
    def file(self) -> Path:
        return self.folder / self.filename

    @property
    def done(self) -> bool:
        return bool(self.filename) and self.file.exists()

    @property
    def failed(self) -> bool:
        if (self.folder / _ERROR).exists():
            return True
        # No worker took it, or it stopped in the middle: the file will never come.
        age = time.time() - self.folder.stat().st_mtime
        return not self.done and age > settings.EXPORTS_STALE_MINUTES * 60

    @property
    def waiting_long(self) -> bool:
        """Not started after a minute: most likely no task worker is running."""
        started = (self.folder / (self.filename + _PART)).exists()
        age = time.time() - self.folder.stat().st_mtime
        return not (started or self.done or self.failed) and age > 60

    @classmethod
    def find(cls, user, job_id: str) -> Export:
        folder = _user_dir(user.pk) / job_id
        if not _JOB_ID.match(job_id) or not folder.is_dir():
            raise Http404("Không có tệp xuất này (tệp chỉ được giữ trong một thời gian ngắn).")
        names = [p.name for p in folder.iterdir() if p.name not in (_ERROR, _NAME)]
        name = next((n for n in names if not n.endswith(_PART)), "")
        if not name:
            name = next((n[: -len(_PART)] for n in names if n.endswith(_PART)), "")
        if not name:
            name = (folder / _NAME).read_text() if (folder / _NAME).exists() else ""
        return cls(folder, name)

    def response(self) -> FileResponse:
        return FileResponse(
            self.file.open("rb"),
            as_attachment=True,
            filename=self.filename,
            content_type=CONTENT_TYPES.get(self.file.suffix.lstrip("."), None),
        )


# The file's name, kept beside the job until the worker writes the file itself.
_NAME = "name.txt"


def purge_old_exports() -> None:
    root = Path(settings.EXPORTS_DIR)
    if not root.is_dir():
        return
    cutoff = time.time() - settings.EXPORTS_KEEP_HOURS * 3600
    for folder in root.glob("*/*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            pass  # another worker purged it first


def start_export(user, filename: str, builder: str, **params) -> Export:
    """Queue the building of `filename` for `user` and wait at most EXPORTS_WAIT_SECONDS.

    `builder` is the dotted path of a function `build(out, *, user, **params)` that writes
    the file; `params` must be JSON (they travel through the task queue).
    """
    purge_old_exports()
    folder = _user_dir(user.pk) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    (folder / _NAME).write_text(filename)
    export = Export(folder, filename)
    build_export_file.enqueue(
        folder=str(folder), filename=filename, builder=builder, user_id=user.pk, params=params
    )
    deadline = time.monotonic() + settings.EXPORTS_WAIT_SECONDS
    while not (export.done or export.failed) and time.monotonic() < deadline:
        time.sleep(0.1)
    return export


@task()
def build_export_file(*, folder: str, filename: str, builder: str, user_id: int, params: dict):
    export = Export(Path(folder), filename)
    part = export.folder / (filename + _PART)
    try:
        user = get_user_model().objects.get(pk=user_id)
        build = import_string(builder)
        with part.open("wb") as out:
            build(out, user=user, **params)
        os.replace(part, export.file)
        (export.folder / _NAME).unlink(missing_ok=True)
    except Exception:
        log.exception("export %s failed", export.file)
        part.unlink(missing_ok=True)
        (export.folder / _ERROR).write_text("failed")
        if settings.DEBUG:
            raise


def export_response(request, export: Export, *, status_url: str, back_url: str):
    """The file if it is ready, else the page that waits for it."""
    if export.done:
        return export.response()
    failed = export.failed
    context = {
        "title": "Đang lập tệp" if not failed else "Không lập được tệp",
        "export": export,
        "failed": failed,
        "status_url": status_url,
        "back_url": back_url,
    }
    if hasattr(request, "admin_context"):
        context.update(request.admin_context)
    return TemplateResponse(
        request, "admin/export_pending.html", context, status=500 if failed else 202
    )


# --- Admin changelist exports -------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One exported column of a changelist: a field path ("category__name") or an
    annotation, with an optional header, kind, width and a function of the value."""

    path: str
    header: str | None = None
    kind: str | None = None
    width: float | None = None
    total: bool = False
    transform: Callable | None = None


def _model_field(model, path: str):
    parts = path.split("__")
    try:
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model
        return model._meta.get_field(parts[-1])
    except (FieldDoesNotExist, AttributeError):
        return None  # an annotation


def _kind_of(model_field) -> str:
    if isinstance(model_field, models.DateTimeField):
        return DATETIME
    if isinstance(model_field, models.DateField):
        return DATE
    if isinstance(model_field, models.IntegerField | models.AutoField):
        return INT
    if isinstance(model_field, models.DecimalField | models.FloatField):
        return DECIMAL
    return TEXT


class ExportMixin:
    """Add to a ModelAdmin: buttons that export the changelist's current rows.

    `export_fields` lists the columns (field paths or `Field`s); it defaults to the model's
    own concrete fields. The file is named after the model: danh-sach-bai-viet-2026-11-03.xlsx.
    """

    export_fields: Sequence[str | Field] = ()
    export_permission = EXPORT_PERMISSION
    change_list_template = "admin/export_change_list.html"

    def has_export_permission(self, request) -> bool:
        return self.has_view_or_change_permission(request) and request.user.has_perm(
            self.export_permission
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("xuat/<str:fmt>/", wrap(self.export_view), name="{}_{}_export".format(*info)),
            path(
                "xuat/tep/<str:job_id>/",
                wrap(self.export_file_view),
                name="{}_{}_export_file".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": self.has_export_permission(request)}
        return super().changelist_view(request, extra_context)

    def _export_fields(self) -> list[Field]:
        names = self.export_fields or [
            f.name for f in self.model._meta.concrete_fields if not getattr(f, "generated", False)
        ]
        return [f if isinstance(f, Field) else Field(f) for f in names]

    def get_export_columns(self) -> list[Column]:
        columns = []
        for f in self._export_fields():
            model_field = _model_field(self.model, f.path)
            kind = f.kind or (_kind_of(model_field) if model_field else TEXT)
            header = f.header or (
                capfirst(str(model_field.verbose_name)) if model_field else f.path
            )
            width = f.width or {DATETIME: 18, DATE: 12, INT: 12, DECIMAL: 12}.get(kind, 24)
            columns.append(Column(header, kind, width, f.total))
        return columns

    def export_rows(self, queryset) -> Iterable[list]:
        fields = self._export_fields()
        choices = []
        for f in fields:
            model_field = _model_field(self.model, f.path)
            flat = dict(model_field.flatchoices) if model_field and model_field.choices else None
            choices.append(flat)
        values = queryset.values_list(*[f.path for f in fields])
        for raw in values.iterator(chunk_size=2000):
            row = []
            for value, f, flat in zip(raw, fields, choices, strict=True):
                if flat is not None:
                    value = flat.get(value, value)
                if f.transform is not None:
                    value = f.transform(value)
                row.append(value)
            yield row

    def _filter_description(self, cl) -> str:
        parts = []
        for spec in cl.filter_specs:
            if not any(p in cl.params for p in spec.expected_parameters()):
                continue
            for choice in spec.choices(cl):
                if choice.get("selected"):
                    parts.append(f"{capfirst(str(spec.title))}: {choice['display']}")
                    break
        if cl.query:
            parts.append(f"tìm “{cl.query}”")
        return "; ".join(parts) if parts else "tất cả"

    def export_view(self, request, fmt):
        if fmt not in CONTENT_TYPES:
            raise Http404("Định dạng xuất chỉ có xlsx hoặc csv.")
        if not self.has_export_permission(request):
            raise PermissionDenied
        # Every page of the current filter, not just the page on screen.
        query = request.GET.copy()
        query.pop(PAGE_VAR, None)
        name = str(self.opts.verbose_name_plural)
        filename = f"danh-sach-{vn_slugify(name)}-{timezone.localdate():%Y-%m-%d}.{fmt}"
        export_started.send(sender=type(self), request=request, filename=filename)
        export = start_export(
            request.user, filename, "portal.exports.build_changelist",
            model=self.opts.label_lower, query=query.urlencode(), fmt=fmt,
        )  # fmt: skip
        return self._export_response(request, export)

    def export_sheet(self, request) -> Sheet:
        """The changelist of `request` (its filters and search), every page, as one sheet."""
        cl = self.get_changelist_instance(request)
        name = str(self.opts.verbose_name_plural)
        heading = f"Danh sách {name} — lọc: {self._filter_description(cl)} — {made_at_text()}"
        return Sheet(
            name=capfirst(name), heading=heading, columns=self.get_export_columns(),
            rows=self.export_rows(cl.queryset),
        )  # fmt: skip

    def export_file_view(self, request, job_id):
        if not self.has_export_permission(request):
            raise PermissionDenied
        return self._export_response(request, Export.find(request.user, job_id))

    def _export_response(self, request, export):
        info = self.opts.app_label, self.opts.model_name
        request.admin_context = {**self.admin_site.each_context(request), "opts": self.opts}
        return export_response(
            request,
            export,
            status_url=reverse(
                "admin:{}_{}_export_file".format(*info),
                args=[export.job_id],
                current_app=self.admin_site.name,
            ),  # fmt: skip
            back_url=reverse(
                "admin:{}_{}_changelist".format(*info), current_app=self.admin_site.name
            ),
        )


def build_changelist(out: BinaryIO, *, user, model: str, query: str, fmt: str) -> None:
    """The task side of ExportMixin.export_view: the rows the user would see on the
    changelist with this query string, checked again against the user's rights."""
    model_admin = admin.site.get_model_admin(apps.get_model(model))
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(query)
    request.user = user
    if not model_admin.has_export_permission(request):
        raise PermissionDenied
    write(fmt, [model_admin.export_sheet(request)], out)
