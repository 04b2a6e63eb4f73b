"""Fixtures of the attack-surface tests: one of everything a page can show."""

import pytest

from comments.models import Comment
from news.models import Tag
from pages.models import Page
from tests.banners.conftest import image_upload, make_banner
from tests.conftest import make_article, make_category
from tests.documents.conftest import make_document
from tests.documents.conftest import terms as terms  # noqa: F401 - the fixture


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Staff users are made per test; a slow hash would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.fixture
def content(terms):
    """One of everything a page can show: article with image, tag, comment, banner with
    image, document with a file, static page."""
    category = make_category("Thời sự")
    tag = Tag.objects.create(name="Tuyên giáo")
    article = make_article(
        "Hội nghị tổng kết công tác tuyên giáo",
        category=category,
        body='<p>Đoạn <a href="https://example.vn/">một</a>.</p>'
        '<figure><img src="/media/x.jpg" alt=""><figcaption>Ảnh</figcaption></figure>',
    )
    article.tags.add(tag)
    comment = Comment.objects.create(
        article=article, name="An", email="an@example.vn", body="Ý kiến hay.", status="approved"
    )
    banner = make_banner(image=image_upload())
    document = make_document(terms)
    page = Page.objects.create(title="Giới thiệu", body="<p>Ban Tuyên giáo.</p>")
    return {
        "category": category, "tag": tag, "article": article, "comment": comment,
        "banner": banner, "document": document, "page": page,
    }  # fmt: skip
