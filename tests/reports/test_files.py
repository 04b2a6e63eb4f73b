"""How an exported file is made, whatever the report: typed cells, a bold frozen header,
widths, a totals row, UTF-8 CSV with a BOM, and no cell a spreadsheet runs as a formula."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal import exports
from portal.exports import DATE, DATETIME, DECIMAL, INT, Column, Sheet
from tests.reports.conftest import read_csv, read_xlsx

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
HOSTILE = [
    '=HYPERLINK("http://evil.example","Bấm vào")',
    "+84 912 345 678",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def sheet(rows, **kwargs):
    return Sheet(
        name="Bài viết",
        heading="Báo cáo thử — tháng 10/2026 — lập lúc 08:00 ngày 01/11/2026",
        columns=[
            Column("Tiêu đề", width=40),
            Column("Ngày", DATE, 12),
            Column("Thời gian", DATETIME, 18),
            Column("Lượt xem", INT, 10, total=True),
            Column("Điểm", DECIMAL, 8),
        ],
        rows=iter(rows),
        **kwargs,
    )


ROWS = [
    ["Hội nghị “tổng kết”, năm 2026", date(2026, 10, 5), datetime(2026, 10, 5, 1, 30, tzinfo=ZoneInfo("UTC")), 12, 4.5],
    ["Dòng\nthứ hai", date(2026, 10, 6), datetime(2026, 10, 6, 23, 15, tzinfo=HCM), 30, None],
]  # fmt: skip


def xlsx_bytes(s) -> bytes:
    out = io.BytesIO()
    exports.write_xlsx([s], out)
    return out.getvalue()


def csv_bytes(s) -> bytes:
    out = io.BytesIO()
    exports.write_csv([s], out)
    return out.getvalue()


def test_xlsx_has_title_bold_frozen_header_real_dates_numbers_and_totals():
    sheets, workbook = read_xlsx(xlsx_bytes(sheet(ROWS)))
    rows = sheets["Bài viết"]
    assert rows[0][0].startswith("Báo cáo thử — tháng 10/2026")
    assert rows[1] == ["Tiêu đề", "Ngày", "Thời gian", "Lượt xem", "Điểm"]
    # Local time of Asia/Ho_Chi_Minh, as real dates (sortable in Excel).
    assert rows[2] == [
        "Hội nghị “tổng kết”, năm 2026",
        datetime(2026, 10, 5),
        datetime(2026, 10, 5, 8, 30),
        12,
        4.5,
    ]
    assert rows[3][:4] == [
        "Dòng\nthứ hai",
        datetime(2026, 10, 6),
        datetime(2026, 10, 6, 23, 15),
        30,
    ]
    assert rows[4] == ["Tổng cộng (2 dòng)", None, None, 42, None]
    ws = workbook["Bài viết"]
    assert ws.freeze_panes == "A3"
    assert all(cell.font.b for cell in ws[2])
    assert ws["A5"].font.b and ws["D5"].font.b
    assert ws["B3"].number_format == "dd/mm/yyyy"
    assert ws["C3"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["D3"].data_type == "n"
    # Counts shown grouped and decimals with their places, in the reader's separators
    # ("1.234", "4,5" in Vietnamese), the cells still numbers.
    assert (ws["D3"].number_format, ws["D5"].number_format) == ("#,##0", "#,##0")
    assert ws["E3"].number_format == "#,##0.0#"
    assert ws.column_dimensions["A"].width == 40
    assert ws.column_dimensions["C"].width == 18


def test_csv_is_utf8_with_bom_and_rfc4180_quoting():
    data = csv_bytes(sheet(ROWS))
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    # A comma, quotes and a newline inside a cell are quoted, not split.
    assert '"Hội nghị “tổng kết”, năm 2026"'.encode() in data
    rows = read_csv(data)
    assert rows[1] == ["Tiêu đề", "Ngày", "Thời gian", "Lượt xem", "Điểm"]
    assert rows[2] == [
        "Hội nghị “tổng kết”, năm 2026",
        "05/10/2026",  # day first, as on the pages
        "05/10/2026 08:30",
        "12",
        "4.50",
    ]
    assert rows[3][0] == "Dòng\nthứ hai"
    assert rows[4] == ["Tổng cộng (2 dòng)", "", "", "42", ""]


@pytest.mark.parametrize("text", HOSTILE)
def test_no_cell_becomes_a_formula(text):
    rows = [[text, None, None, 1, None]]
    _, workbook = read_xlsx(xlsx_bytes(sheet(rows)))
    cell = workbook["Bài viết"]["A3"]
    assert cell.data_type == "s"  # a string, never "f"
    assert cell.value == text  # kept exactly, marked as typed text
    assert cell.quotePrefix
    csv_rows = read_csv(csv_bytes(sheet([[text, None, None, 1, None]])))
    assert csv_rows[2][0] == "'" + text


def test_negative_numbers_stay_numbers_and_control_characters_are_dropped():
    rows = [["Tiêu đề\x00\x07 lạ", None, None, -3, None]]
    sheets, _ = read_xlsx(xlsx_bytes(sheet(rows)))
    assert sheets["Bài viết"][2][0] == "Tiêu đề lạ"
    assert sheets["Bài viết"][2][3] == -3
    assert read_csv(csv_bytes(sheet(rows)))[2][3] == "-3"


def test_no_totals_row_when_asked_and_several_sheets_in_one_csv():
    first = sheet(ROWS, totals_label=None)
    second = Sheet("Khác", "Bảng thứ hai", [Column("Tên")], iter([["a"], ["b"]]))
    out = io.BytesIO()
    exports.write_csv([first, second], out)
    rows = read_csv(out.getvalue())
    assert len(rows) == 2 + 2 + 1 + 2 + 2  # title, header, 2 rows; blank; title, header, 2 rows
    assert rows[4] == []
    assert rows[5] == ["Bảng thứ hai"]
