"""Every changelist (articles, documents, comments) exports the rows it currently shows:
its filters, search and ordering, across all pages, in XLSX and CSV."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from news.models import Article
from portal.text import vn_slugify
from tests.conftest import make_article, make_category
from tests.documents.conftest import make_document, terms  # noqa: F401 - fixture
from tests.reports.conftest import body, read_csv, read_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(editor):
    client = Client()
    client.force_login(editor)
    return client


def add_articles(category, n, status=Article.Status.PUBLISHED, prefix="Bài"):
    now = timezone.now()
    Article.objects.bulk_create(
        [
            Article(
                title=f"{prefix} {i:03d}", slug=f"{vn_slugify(prefix)}-{category.pk}-{i}",
                category=category, status=status, publish_at=now - timedelta(hours=i + 1),
                view_count=i,
            )
            for i in range(n)
        ]
    )  # fmt: skip


def test_article_export_has_every_page_of_the_filter_and_nothing_else(staff):
    politics = make_category("Chính trị")
    add_articles(politics, 60)  # more than one page (50)
    add_articles(politics, 5, status=Article.Status.DRAFT, prefix="Nháp")
    response = staff.get("/admin/news/article/xuat/xlsx/?status__exact=published&o=-5&p=2")
    assert response.status_code == 200
    name = f"danh-sach-bai-viet-{timezone.localdate():%Y-%m-%d}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    sheets, workbook = read_xlsx(body(response))
    title, header, *rows = sheets["Bài viết"]
    assert "Trạng thái: Đã xuất bản" in title[0]
    assert header == ["Tiêu đề", "Chuyên mục", "Tác giả", "Trạng thái", "Thời gian xuất bản",
                      "Lượt xem", "Số bình luận", "Tin tiêu điểm", "Người tạo", "Liên kết"]  # fmt: skip
    assert len(rows) == 61  # 60 published, every page, and the totals row
    assert {r[3] for r in rows[:-1]} == {"Đã xuất bản"}
    assert rows[-1][0] == "Tổng cộng (60 dòng)" and rows[-1][5] == sum(range(60))
    assert rows[0][7] == "Không"
    assert rows[0][9].startswith("https://tuyengiao.example.vn/bai-viet/")
    assert workbook["Bài viết"]["E3"].is_date


def test_article_export_follows_the_search_in_csv(staff):
    make_article("=Hội nghị tổng kết", author="+Tác giả")
    make_article("Kinh tế tăng trưởng")
    response = staff.get("/admin/news/article/xuat/csv/?q=t%E1%BB%95ng+k%E1%BA%BFt")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    title, header, *rows = read_csv(body(response))
    assert "tìm “tổng kết”" in title[0]
    assert [r[0] for r in rows] == ["'=Hội nghị tổng kết", "Tổng cộng (1 dòng)"]
    assert rows[0][2] == "'+Tác giả"


def test_export_queries_do_not_grow_with_the_rows(staff):
    politics = make_category("Chính trị")
    add_articles(politics, 3)
    body(staff.get("/admin/news/article/"))  # warm: the session touch, cached settings
    body(staff.get("/admin/news/article/xuat/csv/"))  # and the day's salt (audit log's "where")
    with CaptureQueriesContext(connection) as few:
        body(staff.get("/admin/news/article/xuat/csv/"))
    add_articles(politics, 300, prefix="Thêm")
    with CaptureQueriesContext(connection) as many:
        body(staff.get("/admin/news/article/xuat/csv/"))
    # The rows come from one server-side cursor: no query per row.
    assert len(many) == len(few)


def test_document_export(staff, terms):  # noqa: F811
    make_document(terms, with_file=False)
    make_document(terms, "Kế hoạch năm", code="05-KH/BTGTU", doc_type="kh", with_file=False)
    response = staff.get("/admin/documents/document/xuat/xlsx/?doc_type__id__exact="
                         f"{terms['kh'].pk}")  # fmt: skip
    sheets, _ = read_xlsx(body(response))
    _, header, *rows = sheets["Văn bản"]
    assert header[:5] == ["Số ký hiệu", "Trích yếu", "Loại văn bản", "Cơ quan ban hành",
                          "Ngày ban hành"]  # fmt: skip
    assert [r[0] for r in rows] == ["05-KH/BTGTU", "Tổng cộng (1 dòng)"]


def test_comment_export_without_emails(admin_user):
    article = make_article()
    Comment.objects.create(article=article, name="@Bạn đọc", email="riengtu@example.vn",
                           body="-1 điểm cho bài này", status=Comment.Status.SPAM)  # fmt: skip
    Comment.objects.create(article=article, name="An", email="an@example.vn", body="Hay")
    client = Client()
    client.force_login(admin_user)
    response = client.get("/admin/comments/comment/xuat/csv/?status__exact=spam")
    data = body(response)
    assert b"riengtu@example.vn" not in data
    _, header, *rows = read_csv(data)
    assert header[:5] == ["Gửi lúc", "Họ và tên", "Nội dung", "Bài viết", "Trạng thái"]
    assert rows == [[rows[0][0], "'@Bạn đọc", "'-1 điểm cho bài này", article.title, "Thư rác",
                     "Không", "", ""]]  # fmt: skip
