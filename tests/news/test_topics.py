"""Topics ("Dòng sự kiện"): attached from the article form, a paginated topic page, the
article page linking its topic and the topic's other articles, the sidebar block, the
sitemap."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from news.models import Article, Topic
from tests.conftest import make_article, make_category, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(db):
    return Topic.objects.create(
        title="Đại hội Đảng bộ tỉnh lần thứ XII", lead="Tin bài về Đại hội.",
        starts_on=timezone.localdate() - timedelta(days=3),
    )  # fmt: skip


def test_topic_page_lists_its_articles_newest_first_paginated(reader_client, topic):
    category = make_category()
    now = timezone.now()
    for i in range(17):
        make_article(f"Bài đại hội số {i:02d}", category=category, topic=topic,
                     publish_at=now - timedelta(hours=i + 1))  # fmt: skip
    make_article("Bài không thuộc dòng sự kiện", category=category)
    make_article("Bản nháp đại hội", category=category, topic=topic, status="draft")
    page = reader_client.get(topic.get_absolute_url()).content.decode()
    html = page[page.index("<main") : page.index("</main>")]
    assert "Đại hội Đảng bộ tỉnh lần thứ XII" in html and "Tin bài về Đại hội." in html
    assert html.index("Bài đại hội số 00") < html.index("Bài đại hội số 01")
    assert "Bài không thuộc dòng sự kiện" not in html and "Bản nháp đại hội" not in html
    assert "Trang 1 / 2" in html
    second = reader_client.get(topic.get_absolute_url() + "?page=2").content.decode()
    assert "Bài đại hội số 16" in second
    assert reader_client.get(topic.get_absolute_url() + "?page=9").status_code == 404


def test_article_page_links_its_topic_and_other_articles(reader_client, topic):
    first = make_article("Khai mạc Đại hội", topic=topic)
    make_article("Bế mạc Đại hội", topic=topic)
    html = reader_client.get(first.get_absolute_url()).content.decode()
    box = html.split('class="related topic-box"')[1].split("</section>")[0]
    assert f'href="{topic.get_absolute_url()}"' in box
    assert "Bế mạc Đại hội" in box
    assert "Khai mạc Đại hội" not in box  # not the article itself


def test_sidebar_block_lists_active_topics_only(reader_client, topic):
    Topic.objects.create(title="Chủ đề đã hết hạn", starts_on=timezone.localdate() - timedelta(30),
                         ends_on=timezone.localdate() - timedelta(1))  # fmt: skip
    Topic.objects.create(title="Chủ đề đã tắt", is_active=False)
    html = reader_client.get("/").content.decode()
    block = html.split('class="block topics-block"')[1].split("</section>")[0]
    assert "Đại hội Đảng bộ tỉnh lần thứ XII" in block
    assert "hết hạn" not in block and "đã tắt" not in block


def test_editor_attaches_an_article_from_the_article_form(topic):
    article = make_article("Bài viết sẽ gắn dòng sự kiện")
    client = Client()
    client.force_login(make_user("quantri", superuser=True))
    form = client.get(f"/admin/news/article/{article.pk}/change/").content.decode()
    assert 'name="topic"' in form
    data = {
        "title": article.title, "slug": article.slug, "summary": article.summary,
        "body": article.body, "category": str(article.category_id), "topic": str(topic.pk),
        "status": "published", "publish_at_0": timezone.localtime(article.publish_at).strftime("%d/%m/%Y"),
        "publish_at_1": timezone.localtime(article.publish_at).strftime("%H:%M:%S"),
        "allow_comments": "on", "allow_rating": "on",
    }  # fmt: skip
    response = client.post(f"/admin/news/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.topic == topic


def test_inactive_topic_page_is_404(reader_client, topic):
    topic.is_active = False
    topic.save()
    assert reader_client.get(topic.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("rows", [3, 40])
def test_topic_pages_queries_do_not_grow(reader_client, topic, rows, django_assert_num_queries):
    category = make_category()
    for i in range(rows):
        make_article(f"Bài {i}", category=category, topic=topic)
    reader_client.get(topic.get_absolute_url())
    with django_assert_num_queries(3):  # topic; count; page of articles
        assert reader_client.get(topic.get_absolute_url()).status_code == 200
    with django_assert_num_queries(2):  # count; page of topics
        assert reader_client.get("/dong-su-kien/").status_code == 200
    article = Article.objects.first()
    reader_client.get(article.get_absolute_url())
    with django_assert_num_queries(1):  # the article row; its topic box is a cached fragment
        assert reader_client.get(article.get_absolute_url()).status_code == 200


def test_topic_is_in_the_sitemap(reader_client, topic):
    assert topic.get_absolute_url() in reader_client.get("/sitemap-topics.xml").content.decode()
