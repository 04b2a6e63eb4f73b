"""The figures of every report equal what the portal shows. Known content and known
traffic (readers on given days, through the real counting path: page view -> buffer ->
flush -> aggregates), each report exported in XLSX and CSV through the download URL, read
back with openpyxl and csv, and compared cell by cell."""

from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services as comment_services
from comments.models import Comment, RatingTotal
from news.models import Article
from portal.exports import FORMULA_PREFIXES
from stats import counting, summaries
from stats.periods import Period as StatsPeriod
from tests.conftest import make_article, make_category
from tests.documents.conftest import make_document, terms  # noqa: F401 - fixture
from tests.reports.conftest import body, read_csv, read_xlsx
from tests.stats.conftest import HCM, IPHONE_SAFARI, WINDOWS_COCCOC, Clock, flush, reader

pytestmark = pytest.mark.django_db

SITE = "https://tuyengiao.example.vn"
MARCH = "ky=thang&nam=2026&thang=3"
HEADING = "tháng 03/2026"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=HCM)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def portal(clock, terms, moderator, editor, settings, tmp_path):  # noqa: F811
    """February to April 2026 of a small portal: articles, documents, readers, comments."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    politics = make_category("Chính trị")
    economy = make_category("Kinh tế")
    a1 = make_article(
        "=Hội nghị tổng kết (tiêu đề bắt đầu bằng dấu bằng)", category=politics,
        author="-Tuyết Anh", publish_at=at(2026, 3, 5, 8, 0),
    )  # fmt: skip
    a2 = make_article(
        "Kinh tế tỉnh tăng trưởng 6,32%, “vượt kế hoạch”", category=economy,
        author="Minh Khang", publish_at=at(2026, 3, 20, 19, 30),
    )  # fmt: skip
    a3 = make_article("Bài của tháng trước", category=politics, publish_at=at(2026, 2, 20, 7))
    make_article("Bản nháp tháng ba", status=Article.Status.DRAFT, publish_at=at(2026, 3, 10))
    hidden = make_article(
        "Bài đã ẩn", category=economy, status=Article.Status.HIDDEN,
        publish_at=at(2026, 3, 12, 10, 0),
    )  # fmt: skip
    doc = make_document(terms, issued_on=date(2026, 3, 2))
    old_doc = make_document(
        terms, "Kế hoạch tuyên truyền năm 2026", code="05-KH/BTGTU", doc_type="kh",
        issuer="tu", issued_on=date(2025, 12, 1), with_file=False,
    )  # fmt: skip
    download = reverse("documents:download", args=[doc.files.get().pk])

    r1 = reader("203.113.1.10")
    r2 = reader("203.113.1.11", ua=IPHONE_SAFARI)
    r3 = reader("198.51.100.7", ua=WINDOWS_COCCOC, HTTP_REFERER="https://www.google.com/")

    def visit(client, *urls):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body(response)

    clock.set(2026, 2, 25, 9, 0)
    visit(r1, a3.get_absolute_url())
    visit(r3, doc.get_absolute_url())
    flush()
    clock.set(2026, 3, 6, 9, 0)
    visit(r1, a1.get_absolute_url(), a3.get_absolute_url(), doc.get_absolute_url(), download)
    visit(r2, a1.get_absolute_url())
    flush()
    clock.set(2026, 3, 21, 10, 0)
    visit(r3, a1.get_absolute_url(), a2.get_absolute_url())
    visit(r1, a2.get_absolute_url())
    visit(r2, doc.get_absolute_url())
    flush()
    clock.set(2026, 4, 2, 9, 0)
    visit(r2, a2.get_absolute_url())
    flush()

    def comment(article, created, status=None, by=None, moderated=None, name="Nguyễn Văn An"):
        c = Comment.objects.create(
            article=article, name=name, email="an@example.vn", body="Ý kiến.",
            created_at=created,
        )  # fmt: skip
        if status:
            comment_services.comments_moderate(comment_ids=[c.pk], status=status, user=by)
            Comment.objects.filter(pk=c.pk).update(moderated_at=moderated)
        return c

    approved, rejected, spam = (Comment.Status.APPROVED, Comment.Status.REJECTED,
                                Comment.Status.SPAM)  # fmt: skip
    comment(a1, at(2026, 3, 7, 10), approved, moderator, at(2026, 3, 8, 9), name="=Kẻ xấu")
    comment(a1, at(2026, 3, 7, 11), rejected, moderator, at(2026, 3, 8, 9))
    comment(a1, at(2026, 3, 9, 12), spam, moderator, at(2026, 3, 9, 13))
    comment(a1, at(2026, 3, 22, 8), approved, editor, at(2026, 3, 22, 9))
    comment(a1, at(2026, 2, 21, 8), approved, moderator, at(2026, 2, 21, 9))  # February
    comment(a2, at(2026, 3, 25, 8))  # waiting
    RatingTotal.objects.create(article=a1, votes=3, points=13)
    for article in (a1, a2, a3, hidden):
        article.refresh_from_db()
    return {"a1": a1, "a2": a2, "a3": a3, "hidden": hidden, "doc": doc, "old_doc": old_doc,
            "politics": politics}  # fmt: skip


@pytest.fixture
def staff(editor):
    client = Client()
    client.force_login(editor)
    return client


def download(client, report, query=MARCH, fmt="xlsx"):
    response = client.get(f"/admin/bao-cao/tai-ve/?bao_cao={report}&{query}&dinh_dang={fmt}")
    assert response.status_code == 200, response.content[:2000]
    return response, body(response)


def as_xlsx(value):
    """What openpyxl reads back for a value the portal shows."""
    if value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(HCM).replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


def as_csv(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value.astimezone(HCM):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"  # day first, as on the pages
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return str(value)


def csv_sections(rows):
    sections, current = [], []
    for row in rows:
        if row == []:
            sections.append(current)
            current = []
        else:
            current.append(row)
    return [*sections, current]


def check_both(client, report, sheets, query=MARCH, heading=HEADING):
    """`sheets`: [(sheet name, header, expected rows incl. totals)] in order. The XLSX and
    the CSV must each hold exactly these, after a title row naming report and period."""
    _, data = download(client, report, query, "xlsx")
    got, _ = read_xlsx(data)
    assert list(got) == [name for name, _, _ in sheets]
    for name, header, rows in sheets:
        title, got_header, *got_rows = got[name]
        assert heading in title[0] and "lập lúc" in title[0] and "Báo cáo" in title[0]
        assert got_header == header
        assert got_rows == [[as_xlsx(v) for v in row] for row in rows], name
    _, data = download(client, report, query, "csv")
    sections = csv_sections(read_csv(data))
    assert len(sections) == len(sheets)
    for section, (_, header, rows) in zip(sections, sheets, strict=True):
        title, got_header, *got_rows = section
        assert heading in title[0] and "lập lúc" in title[0]
        assert got_header == header
        assert got_rows == [[as_csv(v) for v in row] for row in rows]


def link(obj) -> str:
    return SITE + obj.get_absolute_url()


def test_articles_report_equals_the_article_pages(portal, staff):
    a1, a2, hidden = portal["a1"], portal["a2"], portal["hidden"]
    header = ["Tiêu đề", "Chuyên mục", "Tác giả", "Thời gian xuất bản", "Trạng thái",
              "Lượt xem trong kỳ", "Tổng lượt xem", "Bình luận đã duyệt", "Số lượt đánh giá",
              "Điểm đánh giá trung bình", "Liên kết"]  # fmt: skip
    rows = [
        [a1.title, "Chính trị", "-Tuyết Anh", a1.publish_at, "Đã xuất bản", 3, 3, 3, 3, 4.3, link(a1)],
        [hidden.title, "Kinh tế", "", hidden.publish_at, "Đã ẩn", 0, 0, 0, 0, None, link(hidden)],
        [a2.title, "Kinh tế", "Minh Khang", a2.publish_at, "Đã xuất bản", 2, 3, 0, 0, None, link(a2)],
        ["Tổng cộng (3 dòng)", None, None, None, None, 5, 6, 3, 3, None, None],
    ]  # fmt: skip
    check_both(staff, "bai-viet", [("Bài viết", header, rows)])
    # The same figures on the reader's article page (April: the totals).
    html = staff.get(a1.get_absolute_url()).content.decode()
    assert "3 lượt xem" in html
    assert "Tổng số điểm của bài viết là: 13 trong 3 đánh giá" in html
    assert "trung bình 4,3/5" in html
    assert '<span class="comment-count">(3)</span>' in html
    assert "3 lượt xem" in staff.get(a2.get_absolute_url()).content.decode()


def test_articles_report_of_one_category(portal, staff):
    a1 = portal["a1"]
    query = f"{MARCH}&chuyen_muc={portal['politics'].pk}"
    response, data = download(staff, "bai-viet", query)
    assert 'filename="bao-cao-bai-viet-2026-03-chinh-tri.xlsx"' in response["Content-Disposition"]
    got, _ = read_xlsx(data)
    title, _, *rows = got["Bài viết"]
    assert "chuyên mục Chính trị" in title[0]
    assert [r[0] for r in rows] == [a1.title, "Tổng cộng (1 dòng)"]


def test_most_read_ranks_by_views_in_the_period_like_the_dashboard(portal, staff):
    a1, a2, a3, doc = portal["a1"], portal["a2"], portal["a3"], portal["doc"]
    articles = [
        [1, a1.title, "Chính trị", a1.publish_at, 3, 3, link(a1)],
        [2, a2.title, "Kinh tế", a2.publish_at, 2, 3, link(a2)],
        # All-time a3 has 2 views, a2 3: ranked by March only (a3 1).
        [3, a3.title, "Chính trị", a3.publish_at, 1, 2, link(a3)],
        ["Tổng cộng (3 dòng)", None, None, None, 6, None, None],
    ]
    documents = [
        [1, doc.code, doc.title, "Hướng dẫn", doc.issued_on, 2, 3, link(doc)],
        ["Tổng cộng (1 dòng)", None, None, None, None, 2, None, None],
    ]
    check_both(
        staff,
        "xem-nhieu",
        [
            ("Bài viết xem nhiều", ["Hạng", "Tiêu đề", "Chuyên mục", "Thời gian xuất bản",
             "Lượt xem trong kỳ", "Tổng lượt xem", "Liên kết"], articles),
            ("Văn bản xem nhiều", ["Hạng", "Số ký hiệu", "Trích yếu", "Loại văn bản",
             "Ngày ban hành", "Lượt xem trong kỳ", "Tổng lượt xem", "Liên kết"], documents),
        ],
    )  # fmt: skip
    # The dashboard's "top" list of the same month, in the same order with the same counts.
    top = summaries.top_objects(StatsPeriod(date(2026, 3, 1), date(2026, 3, 31), ""), "article")
    assert [(r.label, r.values[0]) for r in top.rows] == [(r[1], r[4]) for r in articles[:-1]]


def test_documents_report_equals_the_document_pages(portal, staff):
    doc, old = portal["doc"], portal["old_doc"]
    header = ["Số ký hiệu", "Trích yếu", "Loại văn bản", "Cơ quan ban hành", "Ngày ban hành",
              "Lượt xem trong kỳ", "Lượt tải trong kỳ", "Tổng lượt xem", "Tổng lượt tải",
              "Liên kết"]  # fmt: skip
    rows = [
        [doc.code, doc.title, "Hướng dẫn", "Ban Tuyên giáo Tỉnh ủy", doc.issued_on, 2, 1, 3, 1, link(doc)],
        [old.code, old.title, "Kế hoạch", "Tỉnh ủy Bình Phước", old.issued_on, 0, 0, 0, 0, link(old)],
        ["Tổng cộng (2 dòng)", None, None, None, None, 2, 1, 3, 1, None],
    ]  # fmt: skip
    check_both(staff, "van-ban", [("Văn bản", header, rows)])
    html = staff.get(doc.get_absolute_url()).content.decode()
    assert 'lượt xem: <span class="view-count">3</span>' in html
    assert 'lượt tải: <span class="download-count">1</span>' in html


def test_visits_report_equals_the_statistics_dashboard(portal, staff):
    march = StatsPeriod(date(2026, 3, 1), date(2026, 3, 31), "")
    days = summaries.daily_traffic(march)
    # The known traffic: 6 March, readers 1 and 2 (4 pages); 21 March, readers 3, 1, 2.
    known = {d: (v, pv, r) for d, pv, v, r in days if pv}
    assert known == {date(2026, 3, 6): (2, 4, 2), date(2026, 3, 21): (3, 4, 3)}
    traffic = [[d, v, pv, r] for d, pv, v, r in days]
    traffic.append(["Tổng cộng (31 dòng)", 5, 8, 5])
    sources = []
    for table in [summaries.top_referrers(march, limit=None), *summaries.clients(march)]:
        for row in table.rows:
            sources.append(
                [table.title, row.label, row.values[0], round(100 * row.values[0] / table.total, 1)]
            )
    assert ["Trang dẫn đến (lượt xem trang)", "www.google.com", 2, 100.0] in sources
    assert any(
        r[0].startswith("Thiết bị") and r[2] == 4 for r in sources
    )  # 4 reader-days on phones
    check_both(
        staff,
        "truy-cap",
        [
            ("Truy cập", ["Ngày", "Lượt truy cập", "Lượt xem trang", "Người đọc (cộng theo ngày)"], traffic),
            ("Nguồn và thiết bị", ["Nhóm", "Giá trị", "Số lượt", "Tỷ lệ (%)"], sources),
        ],
    )  # fmt: skip
    # The dashboard page of the month prints the same totals.
    html = staff.get("/admin/thong-ke/?thang=2026-03").content.decode()
    assert "Lượt truy cập <strong>5</strong>" in html
    assert "Lượt xem trang <strong>8</strong>" in html


def test_the_current_month_ends_at_today_with_no_zero_rows_for_days_to_come(portal, staff):
    today = timezone.localdate()
    _, data = download(staff, "truy-cap", f"ky=thang&nam={today.year}&thang={today.month}")
    got, _ = read_xlsx(data)
    _, _, *rows = got["Truy cập"]
    days = [r[0] for r in rows[:-1]]
    assert days[0] == datetime(today.year, today.month, 1)
    assert days[-1] == datetime(today.year, today.month, today.day)
    assert rows[-1][0] == f"Tổng cộng ({today.day} dòng)"


def test_visits_of_a_year_are_per_month(portal, staff):
    _, data = download(staff, "truy-cap", "ky=nam&nam=2026")
    got, _ = read_xlsx(data)
    title, header, *rows = got["Truy cập"]
    assert "năm 2026" in title[0]
    assert header[0] == "Tháng"
    assert rows[:4] == [["01/2026", 0, 0, 0], ["02/2026", 2, 2, 2], ["03/2026", 5, 8, 5],
                        ["04/2026", 1, 1, 1]]  # fmt: skip
    assert rows[-1] == ["Tổng cộng (12 dòng)", 8, 11, 8]


def test_comments_report_per_article_and_per_moderator(portal, staff, moderator, editor):
    a1, a2 = portal["a1"], portal["a2"]
    per_article = [
        [a1.title, "Chính trị", 4, 2, 1, 1, 0, link(a1)],
        [a2.title, "Kinh tế", 1, 0, 0, 0, 1, link(a2)],
        ["Tổng cộng (2 dòng)", None, 5, 2, 1, 1, 1, None],
    ]
    per_moderator = [
        ["kiemduyet", "kiemduyet", 1, 1, 1, 3],
        ["bientap", "bientap", 1, 0, 0, 1],
        ["Tổng cộng (2 dòng)", None, 2, 1, 1, 4],
    ]
    check_both(
        staff,
        "binh-luan",
        [
            ("Theo bài viết", ["Bài viết", "Chuyên mục", "Nhận được", "Đã duyệt", "Bị từ chối",
             "Thư rác", "Chờ duyệt", "Liên kết"], per_article),
            ("Theo người kiểm duyệt", ["Người kiểm duyệt", "Tài khoản", "Đã duyệt", "Từ chối",
             "Thư rác", "Tổng số đã xử lý"], per_moderator),
        ],
    )  # fmt: skip
    # The moderation list shows the same: 4 of a1's March comments, by status.
    assert Comment.objects.filter(article=a1, created_at__month=3).count() == 4


def test_banner_report_equals_the_banner_figures(staff, clock):
    from banners.clickthrough import banner_report
    from banners.models import CLICK, IMPRESSION, Banner, BannerPosition

    position, _ = BannerPosition.objects.get_or_create(key=BannerPosition.Key.LINKS)
    banner = Banner.objects.create(
        title="+Cổng dịch vụ công", position=position, url="https://dichvucong.gov.vn/"
    )
    # Impressions as the page views' tallies leave them in stats' buffer, then the flush.
    for day, n in [(date(2026, 3, 2), 400), (date(2026, 3, 30), 100), (date(2026, 4, 1), 7)]:
        counting.buffer.add_tally(IMPRESSION, [banner.pk] * n, day)
    # Clicks through the real path: the link, stats.counting, the flush.
    click = f"/lien-ket/{banner.pk}/"
    clock.set(2026, 3, 2, 9, 0)
    for i in range(10):
        assert reader(f"203.113.9.{i}").get(click).status_code == 302
    reader("203.113.9.0").get(click)  # the same reader again: not counted
    clock.set(2026, 4, 1, 9, 0)
    reader("203.113.9.0").get(click)
    flush()

    shown = banner_report(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert [(r.impressions, r.clicks, r.ctr) for r in shown] == [(500, 10, 2.0)]
    # The same clicks as the banner's total and the statistics dashboard's list.
    banner.refresh_from_db()
    assert banner.click_count == 11
    top = summaries.top_objects(StatsPeriod(date(2026, 3, 1), date(2026, 3, 31), ""), CLICK)
    assert [(r.label, r.values[0]) for r in top.rows] == [("+Cổng dịch vụ công", 10)]
    row = shown[0]
    check_both(
        staff,
        "quang-cao",
        [
            ("Quảng cáo", ["Quảng cáo", "Vị trí", "Đang hiện", "Lượt hiển thị", "Lượt bấm", "Tỷ lệ bấm (%)"],
             [["+Cổng dịch vụ công", row.position, "Có" if row.is_live else "Không", 500, 10, 2.0],
              ["Tổng cộng (1 dòng)", None, None, 500, 10, None]]),
        ],
    )  # fmt: skip
