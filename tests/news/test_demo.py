"""`load_demo`: the content a first visitor of `make run` sees, loaded once and only once."""

import dataclasses
import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from news.demo import articles as demo_articles
from news.models import Article, BodyImage, Category, Tag
from tests.conftest import make_category

pytestmark = pytest.mark.django_db

REFERENCE_TITLE = "Bình Phước tổ chức hội nghị tổng kết công tác tuyên giáo năm 2021"


def load_demo(*args, verbosity=1):
    out = StringIO()
    call_command("load_demo", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


def media_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def on_disk(name: str) -> bool:
    return bool(name) and Path(default_storage.path(name)).is_file()


def assert_reference_article_is_as_on_the_old_site():
    """The article of the old site that the article page is checked against."""
    article = Article.objects.select_related("category__parent").get(title=REFERENCE_TITLE)

    local = timezone.localtime(article.publish_at)
    assert local.strftime("%d/%m/%Y %H:%M") == "10/01/2022 19:00"
    assert local.utcoffset() == timedelta(hours=7)
    assert article.author == "Tuyết Anh"
    assert article.is_public
    assert "Tin tức - Sự kiện" in (article.category.name, article.category.parent.name)
    assert article.summary.startswith("Sáng ngày 10/01/2022, Ban Tuyên giáo Tỉnh ủy")
    assert article.view_count == 629
    assert article.tags.filter(name="Tuyên giáo").exists()

    assert article.image_caption
    for name in (article.image.name, article.image_thumb.name, article.image_large.name):
        assert on_disk(name), name

    assert "phương châm 3T “Tiên phong - Trọng tâm - Thuyết phục”" in article.body
    assert "tặng giấy khen cho 6 tập thể" in article.body
    assert 'alt="Toàn cảnh hội nghị"><figcaption>Toàn cảnh hội nghị</figcaption></figure>' in (
        article.body
    )
    assert "<figcaption>Trưởng ban Tuyên giáo Tỉnh ủy Hà Anh Dũng nhận Bằng khen" in article.body
    sources = re.findall(r'<img src="([^"]+)"', article.body)
    assert len(sources) == 2
    for src in sources:
        assert src.startswith(settings.MEDIA_URL)
        name = src.removeprefix(settings.MEDIA_URL)
        assert BodyImage.objects.filter(image=name).exists()
        assert on_disk(name)


def test_demo_is_two_years_of_articles_with_the_reference_one_loaded_once():
    out = load_demo("--once")
    assert "Đã nạp dữ liệu mẫu" in out

    articles = Article.objects.all()
    assert articles.count() >= 60
    now = timezone.now()
    published = Article.objects.published()
    assert published.count() >= 55
    assert articles.filter(status=Article.Status.DRAFT).count() >= 2
    assert articles.filter(status=Article.Status.PENDING).exists()
    assert articles.filter(status=Article.Status.HIDDEN).exists()
    scheduled = articles.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
    assert scheduled.count() == 1

    # Spread over the last two years (the reference article of 2022 aside).
    recent = published.exclude(title=REFERENCE_TITLE)
    oldest = recent.order_by("publish_at").first().publish_at
    newest = recent.order_by("-publish_at").first().publish_at
    assert timedelta(days=700) <= now - oldest <= timedelta(days=2 * 366)
    assert now - newest < timedelta(days=2)

    # Two levels of categories with an order; one kept out of the menu.
    top = list(Category.objects.top_level().values_list("name", flat=True))
    assert top[:3] == ["Tin tức - Sự kiện", "Chính trị", "Kinh tế"]
    assert "Đấu tranh phản bác quan điểm sai trái" in top
    assert Category.objects.get(name="Xây dựng Đảng").parent.name == "Chính trị"
    assert Category.objects.filter(show_in_menu=False).exists()
    assert not Category.objects.filter(parent__parent__isnull=False).exists()

    # What makes lists and pages look real.
    assert published.filter(featured=True).count() >= 5
    assert articles.exclude(image="").count() >= 50
    assert published.filter(view_count=0).count() <= 3
    assert articles.exclude(source_url="").exists()
    assert articles.filter(extra_categories__isnull=False).distinct().count() >= 5
    assert articles.values("author").distinct().count() >= 10
    assert Tag.objects.filter(articles__isnull=False).distinct().count() >= 20
    # Rich bodies survived the sanitiser.
    for html in ("<h2>", "<ul>", "<ol>", "<table>", "<blockquote>", "<figcaption>"):
        assert articles.filter(body__contains=html).exists(), html
    assert not articles.filter(title__contains="{").exists()
    assert not articles.filter(body__contains="{").exists()

    assert_reference_article_is_as_on_the_old_site()

    counts = (Article.objects.count(), Category.objects.count(), BodyImage.objects.count())
    files = media_files()
    again = load_demo("--once")
    assert "bỏ qua" in again
    assert (Article.objects.count(), Category.objects.count(), BodyImage.objects.count()) == counts
    assert media_files() == files


def test_demo_site_pages_render(reader_client):
    load_demo("--once", verbosity=0)

    home = reader_client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert "Tin tiêu điểm" in html
    lead = Article.objects.published().filter(featured=True).first()
    assert lead.title in html
    assert "Quốc phòng - An ninh" in html

    reference = Article.objects.get(title=REFERENCE_TITLE)
    page = reader_client.get(reference.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thứ Hai - 10/01/2022 19:00" in html
    assert "Tác giả: <strong>Tuyết Anh</strong>" in html
    assert "<figcaption>Toàn cảnh hội nghị</figcaption>" in html
    assert reference.image_large.url in html

    category = reader_client.get(Category.objects.get(name="Xây dựng Đảng").get_absolute_url())
    assert category.status_code == 200

    # Not yet (or no longer) public: a reader gets a 404.
    for article in Article.objects.exclude(pk__in=Article.objects.published()):
        assert reader_client.get(article.get_absolute_url()).status_code == 404, article.title


def test_demo_is_not_loaded_over_existing_content():
    make_category("Thời sự")

    assert "bỏ qua" in load_demo("--once")
    with pytest.raises(CommandError, match="đã có chuyên mục hoặc bài viết"):
        load_demo()

    assert list(Category.objects.values_list("name", flat=True)) == ["Thời sự"]
    assert not Article.objects.exists()


def test_failed_load_leaves_no_rows_and_no_files(monkeypatch):
    before = media_files()
    broken = dataclasses.replace(
        demo_articles.BINH_PHUOC_2021, title="Bài lỗi", category="khong-co"
    )
    monkeypatch.setattr("news.demo.loader.ARTICLES", [demo_articles.BINH_PHUOC_2021, broken])

    with pytest.raises(KeyError):
        load_demo("--once")

    assert not Category.objects.exists()
    assert not Article.objects.exists()
    assert not BodyImage.objects.exists()
    assert media_files() == before
