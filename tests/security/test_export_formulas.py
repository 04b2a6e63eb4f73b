"""No file the portal writes holds a cell a spreadsheet would run. Values that begin with
= + - @ or a tab or carriage return come from readers (referrers, user agents, comment
names) and from staff (titles, authors, search terms); every export path, CSV and XLSX,
writes them as typed text through portal.exports."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from comments.models import Comment
from portal.exports import FORMULA_PREFIXES
from reports import library
from stats import counting
from stats.periods import Period
from tests.conftest import make_article, make_category, make_user
from tests.documents.conftest import make_document
from tests.reports.conftest import _export_settings as _export_settings  # noqa: F401
from tests.reports.conftest import body, read_csv, read_xlsx

pytestmark = pytest.mark.django_db

HOSTILE = ["=2+5", "+2+5", "-2+5", "@SUM(A1)", "\t=1+1", "\r=1+1"]
HOSTILE_HOSTS = ["=2+5", "+2+5", "-2+5"]  # what a Referer's host name can carry
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def hostile_month(monkeypatch, terms, admin_user):
    """Last month: articles, a document and comments with hostile text, and readers
    arriving from hostile referrers with hostile user agents."""
    period = Period.previous_month()
    day = datetime.combine(period.start + timedelta(days=4), datetime.min.time(), HCM)
    monkeypatch.setattr(counting, "now", lambda: day + timedelta(hours=9))
    category = make_category("=Thời sự")
    moderator = make_user("kiemduyet", superuser=True)
    moderator.first_name = "@Kiểm duyệt"
    moderator.save()
    articles = []
    for i, text in enumerate(HOSTILE):
        article = make_article(
            f"{text} bài {i}", category=category, author=text, publish_at=day + timedelta(hours=i)
        )
        Comment.objects.create(
            article=article, name=text, email="a@example.vn", body=text, status="approved",
            created_at=day, moderated_by=moderator, moderated_at=day,
        )  # fmt: skip
        articles.append(article)
    document = make_document(terms, '=HYPERLINK("http://evil.example") văn bản')
    for i, host in enumerate(HOSTILE_HOSTS):
        reader = Client(
            HTTP_USER_AGENT=f"{HOSTILE[i]} Mozilla/5.0 Chrome/124.0",
            REMOTE_ADDR=f"203.113.7.{i}",
            HTTP_REFERER=f"http://{host}/",
        )
        reader.get(articles[i].get_absolute_url())
        reader.get(document.get_absolute_url())
    counting.buffer.flush()
    return period


def export_paths(period):
    month = f"thang={period.start:%Y-%m}"
    dashboard = [
        f"/admin/thong-ke/?{month}&xuat={what}"
        for what in ("ngay", "trang", "nguon", *[k.kind for k in counting.kinds()])
    ]
    reports = [
        f"/admin/bao-cao/tai-ve/?bao_cao={slug}&ky=thang&nam={period.start.year}"
        f"&thang={period.start.month}&dinh_dang={fmt}"
        for slug in library.REGISTRY
        for fmt in ("csv", "xlsx")
    ]
    changelists = [
        f"/admin/{model}/xuat/{fmt}/?q=%3D1%2B1"
        for model in ("news/article", "documents/document", "comments/comment")
        for fmt in ("csv", "xlsx")
    ] + [
        f"/admin/{model}/xuat/{fmt}/"
        for model in ("news/article", "documents/document", "comments/comment")
        for fmt in ("csv", "xlsx")
    ]
    return dashboard + reports + changelists


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in read_csv(data) for cell in row]


def test_no_export_writes_a_formula(client, admin_user, hostile_month):
    client.force_login(admin_user)
    written: set[str] = set()
    for url in export_paths(hostile_month):
        response = client.get(url)
        assert response.status_code == 200, url
        data = body(response)
        if "xlsx" in url:
            _, workbook = read_xlsx(data)
            for ws in workbook.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (url, cell.coordinate, cell.value)
                        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                            assert cell.quotePrefix, (url, cell.coordinate, cell.value)
                            written.add(cell.value)
        else:
            for cell in csv_cells(data):
                assert not cell.startswith(FORMULA_PREFIXES), (url, cell)
                if cell.startswith("'"):
                    written.add(cell[1:])
    # The hostile values did reach the files (escaped), from every kind of source.
    for host in HOSTILE_HOSTS:
        assert host in written  # referrers: the dashboard and the visits report
    for text in HOSTILE:
        assert text in written  # comment names and bodies, authors
        assert f"{text} bài {HOSTILE.index(text)}" in written  # titles
    assert "@Kiểm duyệt" in " ".join(written)  # moderators' names
    assert any(v.startswith('=HYPERLINK("http://evil.example")') for v in written)
