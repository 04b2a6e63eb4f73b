"""The "Báo cáo" page: the form, and every bad period answered by the form with its error
(400), never a 500 and never a file."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stats.periods import Period, PeriodError
from tests.conftest import make_category

pytestmark = pytest.mark.django_db

URL = "/admin/bao-cao/tai-ve/"


@pytest.fixture
def client_(editor):
    client = Client()
    client.force_login(editor)
    return client


def test_the_page_offers_every_report_period_and_format(client_):
    # Session, user, its two permission queries, the footer pages, the categories of the
    # select: the same whatever the number of categories.
    make_category("Chính trị")
    client_.get("/admin/bao-cao/")  # warm: the session touch, the cached site settings
    with CaptureQueriesContext(connection) as few:
        client_.get("/admin/bao-cao/")
    for i in range(20):
        make_category(f"Chuyên mục {i}")
    with CaptureQueriesContext(connection) as many:
        response = client_.get("/admin/bao-cao/")
    assert len(many) == len(few) <= 6
    html = response.content.decode()
    assert response.status_code == 200
    for text in ["Bài viết xuất bản trong kỳ", "xem nhiều nhất", "Văn bản đã xuất bản",
                 "Lượt truy cập", "Bình luận nhận được", "Excel (XLSX)", "CSV (UTF-8)",
                 "Khoảng ngày", "Tất cả chuyên mục"]:  # fmt: skip
        assert text in html, text
    # XLSX is the default format; last month the default period.
    assert 'value="xlsx" required id="id_dinh_dang_0" checked' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "ky=khoang&tu=2026-03-31&den=2026-03-01",
            "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.",
        ),
        ("ky=nam&nam=0", "Năm phải từ 2000 đến 2100."),
        ("ky=nam&nam=99999", "Năm phải từ 2000 đến 2100."),
        ("ky=thang&nam=99999&thang=3", "Năm phải từ 2000 đến 2100."),
        ("ky=thang&nam=2026&thang=13", "Tháng phải từ 1 đến 12."),
        ("ky=nam&nam=2025&chuyen_muc=999999", "Không có chuyên mục này."),
        ("ky=quy&nam=2026&quy=7", "Quý phải từ 1 đến 4."),
        ("ky=khoang&tu=hom-qua&den=hom-nay", "Ngày không hợp lệ; hãy nhập dạng 31/12/2026."),
        ("ky=khoang&tu=2026-02-30&den=2026-03-01", "Ngày không hợp lệ; hãy nhập dạng 31/12/2026."),
        ("ky=nam&nam=hai-nghin", "Năm phải là một số, ví dụ 2026."),
        ("ky=thang&nam=2026", "Hãy nhập trường này cho kỳ đã chọn."),
        ("ky=tuan&nam=2026", "Hãy chọn kỳ: tháng, quý, năm hoặc khoảng ngày."),
        ("ky=nam&nam=2099", "Kỳ báo cáo chưa bắt đầu."),
    ],
)
def test_a_bad_period_answers_the_form_with_its_error(client_, query, message):
    response = client_.get(f"{URL}?bao_cao=bai-viet&dinh_dang=xlsx&{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert message in html
    assert 'id="report-form"' in html


def test_an_unknown_report_or_format_is_the_form_again(client_):
    response = client_.get(f"{URL}?bao_cao=khong-co&ky=nam&nam=2025&dinh_dang=pdf")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Không có báo cáo này." in html
    assert "Định dạng chỉ có XLSX hoặc CSV." in html


def test_the_file_is_named_after_report_period_and_format(client_, editor):
    response = client_.get(f"{URL}?bao_cao=bai-viet&ky=thang&nam=2026&thang=3&dinh_dang=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-bai-viet-2026-03.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client_.get(f"{URL}?bao_cao=truy-cap&ky=quy&nam=2026&quy=1&dinh_dang=csv")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-truy-cap-2026-q1.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(
    ("text", "start", "end", "slug"),
    [
        ("2026-10", "2026-10-01", "2026-10-31", "2026-10"),
        ("2026-Q4", "2026-10-01", "2026-12-31", "2026-q4"),
        ("2024-2", "2024-02-01", "2024-02-29", "2024-02"),
        ("2025", "2025-01-01", "2025-12-31", "2025"),
        ("2026-03-01:2026-03-15", "2026-03-01", "2026-03-15", "2026-03-01-den-2026-03-15"),
    ],
)
def test_periods_of_the_commands(text, start, end, slug):
    period = Period.parse(text)
    assert (period.start.isoformat(), period.end.isoformat(), period.slug) == (start, end, slug)


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "99999",
        "2026-13",
        "2026-q5",
        "2026-03-31:2026-03-01",
        "thang-10",
        "2026-02-30:2026-03-01",
    ],
)
def test_bad_periods_of_the_commands_are_refused(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_the_period_is_typed_day_first_without_the_browsers_date_picker(client_):
    html = client_.get("/admin/bao-cao/").content.decode()
    assert 'type="date"' not in html  # the browser's picker shows its own "mm/dd/yyyy"
    last = Period.previous_month()
    assert f'name="tu" value="{last.start:%d/%m/%Y}"' in html
    assert 'placeholder="ngày/tháng/năm"' in html
    response = client_.get(URL, {"bao_cao": "truy-cap", "ky": "khoang", "tu": "05/03/2026",
                                 "den": "07/03/2026", "dinh_dang": "csv"})  # fmt: skip
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('2026-03-05-den-2026-03-07.csv"')


def test_the_reports_heading_of_the_admin_index_opens_the_reports_page(client_):
    response = client_.get("/admin/reports/")
    assert (response.status_code, response["Location"]) == (302, "/admin/bao-cao/")
