"""Search: accent-insensitive, ranked, indexed, and polite to hostile input."""

import pytest
from django.db import connection

from news.models import Article
from tests.conftest import make_article, make_category

pytestmark = pytest.mark.django_db


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


def test_search_without_diacritics_finds_the_article(reader_client, articles):
    response = reader_client.get("/tim-kiem/", {"q": "hoi nghi tuyen giao"})
    assert response.status_code == 200
    found = titles(response)
    assert articles["conference"].title in found
    assert articles["other"].title not in found
    assert "Tìm thấy 2 bài viết" in response.content.decode()


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


def test_no_result_says_so(reader_client, articles):
    response = reader_client.get("/tim-kiem/", {"q": "khong co gi ca"})
    assert "Không tìm thấy bài viết phù hợp" in response.content.decode()


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
    assert "Có hơn 2 bài viết chứa" in response.content.decode()
