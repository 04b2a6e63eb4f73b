"""The site search: articles, documents (by code and title) and static pages, grouped by
kind, accent-insensitive, ranked, indexed, polite to hostile input, and a page that says
what to try when nothing is found."""

import re
from datetime import date

import pytest
from django.db import connection

from documents.models import Document
from news.models import Article
from pages.models import Page
from portal import fragments
from tests.conftest import SITE_BLOCKS_AFTER_A_CHANGE, make_article, make_category
from tests.documents.conftest import make_document
from tests.documents.conftest import terms as terms  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

PLAN = "Kế hoạch tổ chức các hoạt động kỷ niệm 95 năm Ngày thành lập Đảng"


@pytest.fixture
def articles():
    cat = make_category("Tin tức - Sự kiện")
    return {
        "conference": make_article(
            "Bình Phước tổ chức hội nghị tổng kết công tác tuyên giáo năm 2021",
            category=cat,
            summary="Hội nghị tổng kết công tác tuyên giáo.",
        ),
        "body_only": make_article(
            "Tin vắn trong tỉnh",
            category=cat,
            summary="Tóm tắt",
            body="<p>Đoàn công tác dự hội nghị về tuyên giáo ở huyện Đồng Xoài.</p>",
        ),
        "other": make_article("Đà Nẵng đón khách du lịch", category=cat),
    }


def titles(response):
    return [a.title for a in response.context["page"].object_list]


def text(html: str) -> str:
    """The page as a reader reads it: tags dropped, spaces collapsed."""
    return re.sub(r" ([.,:;])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html).split()))


def group(html: str, anchor: str) -> str:
    """The text of one group of results (its section, found by its id)."""
    found = re.search(rf'<section class="search-group" id="{anchor}".*?</section>', html, re.S)
    return text(found.group(0)) if found else ""


def test_search_without_diacritics_finds_the_article(reader_client, articles):
    response = reader_client.get("/tim-kiem/", {"q": "hoi nghi tuyen giao"})
    assert response.status_code == 200
    found = titles(response)
    assert articles["conference"].title in found
    assert articles["other"].title not in found
    html = response.content.decode()
    summary = "Kết quả cho “hoi nghi tuyen giao”: 2 bài viết · 0 văn bản · 0 trang thông tin."
    assert summary in text(html)
    assert group(html, "bai-viet").startswith("Bài viết (2)")


def test_title_matches_rank_before_body_matches(reader_client, articles):
    found = titles(reader_client.get("/tim-kiem/", {"q": "hoi nghi tuyen giao"}))
    assert found == [articles["conference"].title, articles["body_only"].title]


def test_the_phrase_ranks_above_newer_articles_with_the_words_scattered(reader_client, articles):
    make_article(
        "Giao ban công tác tuyên giáo và dư luận xã hội tháng 11/2026",
        category=articles["other"].category,
        summary="Ban Tuyên giáo Tỉnh ủy tổ chức giao ban công tác tuyên giáo và dư luận xã hội "
        "định kỳ, trực tuyến tới 11 điểm cầu cấp huyện.",
        body="<p>Dự và chủ trì hội nghị có đồng chí Phó Trưởng ban Thường trực Ban Tuyên giáo. "
        "Ngành tuyên giáo đã tham mưu tổ chức 14 hội nghị học tập, quán triệt nghị quyết. "
        "Tổng hợp từ 112 cộng tác viên dư luận xã hội, nhân dân phấn khởi.</p>",
    )
    found = titles(reader_client.get("/tim-kiem/", {"q": "hoi nghi tuyen giao"}))
    assert found[0] == articles["conference"].title


def test_search_with_diacritics_and_d_stroke(reader_client, articles):
    assert titles(reader_client.get("/tim-kiem/", {"q": "Đà Nẵng"})) == [articles["other"].title]
    assert titles(reader_client.get("/tim-kiem/", {"q": "da nang"})) == [articles["other"].title]


def test_unpublished_articles_are_not_found(reader_client, articles):
    Article.objects.filter(pk=articles["other"].pk).update(status=Article.Status.DRAFT)
    assert titles(reader_client.get("/tim-kiem/", {"q": "da nang"})) == []


def test_no_result_says_so_and_suggests_what_to_try(reader_client, articles):
    response = reader_client.get("/tim-kiem/", {"q": "khong co gi ca"})
    assert response.status_code == 200
    html = response.content.decode()
    page = text(html)
    assert "Không tìm thấy kết quả nào cho “khong co gi ca”." in page
    assert "0 bài viết" not in page and "Tìm thấy 0" not in page
    assert "Thử bớt từ" in page and "Thử từ khác cùng nghĩa" in page
    # The library's own search, with the words already in.
    assert 'href="/van-ban/?q=khong%20co%20gi%20ca">thư viện văn bản</a>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x" * 10_000, "Từ khóa quá dài"),
        ("hội\x00nghị", "ký tự không hợp lệ"),
        ("a", "Từ khóa quá ngắn"),
        ("!!! ???", "có chữ hoặc số"),
        ("", "Hãy nhập từ khóa"),
    ],
)
def test_hostile_queries_get_a_400_with_a_message(reader_client, articles, query, message):
    response = reader_client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_websearch_syntax_is_harmless(reader_client, articles):
    for q in ['"hoi nghi', "-tuyen", "or or", "hoi & | ! nghi", "');drop table x;--"]:
        assert reader_client.get("/tim-kiem/", {"q": q}).status_code in (200, 400)


def test_search_uses_the_gin_index(articles):
    """EXPLAIN of the search shows the GIN index, not a scan of every body."""
    category = articles["other"].category
    Article.objects.bulk_create(
        Article(
            title=f"Tin số {i}", slug=f"tin-so-{i}", category=category, body="<p>Khác</p>",
            status=Article.Status.PUBLISHED, publish_at=articles["other"].publish_at,
        )
        for i in range(3000)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_article")
        cursor.execute("SELECT gin_clean_pending_list('news_article_search_idx'::regclass)")
        sql, params = Article.objects.published().search("hoi nghi").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "news_article_search_idx" in plan, plan


def test_a_very_common_word_ranks_only_the_newest_matches_and_says_so(
    reader_client, articles, monkeypatch
):
    from news import models

    monkeypatch.setattr(models, "SEARCH_LIMIT", 2)
    response = reader_client.get("/tim-kiem/", {"q": "tuyen giao"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2
    html = response.content.decode()
    assert group(html, "bai-viet").startswith("Bài viết (hơn 2)")
    assert "Có hơn 2 bài viết chứa" in html


def test_documents_are_found_by_code_and_by_title_without_diacritics(reader_client, terms):
    plan = make_document(terms, PLAN, code="195-KH/BTGTU", doc_type="kh")
    make_document(terms)  # 112-HD/BTGTU, a guidance on Trần Phú
    for q in ["ke hoach", "Kế hoạch", "195-KH/BTGTU", "195", "kh btgtu", "thanh lap dang"]:
        html = reader_client.get("/tim-kiem/", {"q": q}).content.decode()
        documents = group(html, "van-ban")
        assert documents.startswith("Văn bản (1)"), (q, documents)
        assert f"195-KH/BTGTU {PLAN}" in documents
        assert f'href="{plan.get_absolute_url()}"' in html
        assert "112-HD/BTGTU" not in documents


def test_unpublished_documents_and_pages_are_not_found(reader_client, terms):
    make_document(terms, PLAN, code="195-KH/BTGTU", status=Document.Status.DRAFT)
    Page.objects.create(title="Kế hoạch nội bộ", body="<p>Chưa công bố.</p>", is_published=False)
    html = reader_client.get("/tim-kiem/", {"q": "ke hoach"}).content.decode()
    assert "Không tìm thấy kết quả nào" in text(html)


def test_static_pages_are_found_by_title_and_body(reader_client):
    about = Page.objects.create(
        title="Giới thiệu", body="<p>Ban Tuyên giáo Tỉnh ủy Bình Phước được thành lập…</p>"
    )
    Page.objects.create(title="Liên hệ", body="<p>Số điện thoại đường dây nóng.</p>")
    for q in ["gioi thieu", "Bình Phước thành lập"]:
        html = reader_client.get("/tim-kiem/", {"q": q}).content.decode()
        assert group(html, "trang") == "Trang thông tin Giới thiệu", q
        assert f'href="{about.get_absolute_url()}"' in html
    # The markup of a page's body is not its text.
    assert "Giới thiệu" not in group(reader_client.get("/tim-kiem/?q=p").content.decode(), "trang")


def test_each_kind_is_a_group_pages_and_documents_before_the_articles(reader_client, terms):
    make_document(terms, PLAN, code="195-KH/BTGTU", doc_type="kh")
    Page.objects.create(title="Kế hoạch hoạt động của Ban", body="<p>Lịch công tác.</p>")
    make_article("Triển khai kế hoạch tuyên truyền năm 2025", category=make_category("Tin"))
    html = reader_client.get("/tim-kiem/", {"q": "ke hoach"}).content.decode()
    assert "Kết quả cho “ke hoach”: 1 bài viết · 1 văn bản · 1 trang thông tin." in text(html)
    headings = re.findall(r'<h2 class="section-title" id="[^"]+">([^<]+)</h2>', html)
    assert headings == ["Trang thông tin", "Văn bản (1)", "Bài viết (1)"]


def test_many_documents_show_the_best_five_and_lead_to_the_library(reader_client, terms):
    for n in range(7):
        make_document(
            terms, f"Kế hoạch tuyên truyền số {n + 1}", code=f"{200 + n}-KH/BTGTU",
            doc_type="kh", issued_on=date(2024, 1, 1 + n),
        )  # fmt: skip
    html = reader_client.get("/tim-kiem/", {"q": "ke hoach"}).content.decode()
    documents = group(html, "van-ban")
    assert documents.startswith("Văn bản (7)")
    assert documents.count("-KH/BTGTU") == 5
    assert 'href="/van-ban/?q=ke%20hoach">Xem cả 7 văn bản trong thư viện văn bản ›</a>' in html


def test_later_pages_list_articles_only(reader_client, terms):
    category = make_category("Tin")
    for n in range(16):
        make_article(f"Kế hoạch số {n + 1}", category=category)
    make_document(terms, PLAN, code="195-KH/BTGTU", doc_type="kh")
    html = reader_client.get("/tim-kiem/", {"q": "ke hoach", "page": 2}).content.decode()
    assert "Kết quả cho “ke hoach”: bài viết, trang 2." in text(html)
    assert group(html, "van-ban") == ""
    assert len(re.findall(r'<article class="item">', html)) == 1


@pytest.mark.parametrize("extra", [0, 30])
def test_search_queries_do_not_grow_with_the_rows(
    reader_client, terms, django_assert_num_queries, extra
):
    category = make_category("Tin")
    for n in range(1 + extra):
        make_article(f"Kế hoạch số {n + 1}", category=category)
    for n in range(1 + extra):
        make_document(terms, f"Kế hoạch số {n + 1}", code=f"{300 + n}-KH/BTGTU", with_file=False)
    Page.objects.create(title="Kế hoạch của Ban", body="")
    url = "/tim-kiem/?q=ke+hoach"
    reader_client.get(url)  # the shared blocks fill their caches
    # Asked again in the same content generation: the count and the results are cached.
    with django_assert_num_queries(0, info=url):
        assert "Kế hoạch của Ban" in reader_client.get(url).content.decode()
    fragments.bump()
    # After a change: articles: count, page; documents: the newest matches ranked (and so
    # counted), the best five read whole; static pages; and the site-wide blocks
    with django_assert_num_queries(5 + SITE_BLOCKS_AFTER_A_CHANGE, info=url):
        assert "Kế hoạch của Ban" in reader_client.get(url).content.decode()
    if extra:
        with django_assert_num_queries(1, info=url):  # later pages: their page (count kept)
            assert reader_client.get(url + "&page=2").status_code == 200


def test_a_word_most_documents_contain_ranks_the_newest_and_leads_to_the_library(
    reader_client, terms, monkeypatch
):
    from documents import models

    monkeypatch.setattr(models, "SEARCH_LIMIT", 6)
    for n in range(8):
        make_document(
            terms, f"Kế hoạch tuyên truyền số {n + 1}", code=f"{200 + n}-KH/BTGTU",
            doc_type="kh", issued_on=date(2024, 1, 1 + n), with_file=False,
        )  # fmt: skip
    html = reader_client.get("/tim-kiem/", {"q": "ke hoach"}).content.decode()
    documents = group(html, "van-ban")
    assert documents.startswith("Văn bản (hơn 6)")
    assert "Xem tất cả văn bản chứa “ke hoach” trong thư viện văn bản ›" in documents
