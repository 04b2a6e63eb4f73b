"""Comments fixtures: a moderator, a commentable article, and a valid form post."""

import time

import pytest

from comments import captcha, services, spam
from comments.models import Comment
from pages import site
from pages.models import SiteSettings
from portal import roles
from tests.conftest import make_article, make_user


@pytest.fixture(autouse=True)
def _comment_settings(settings):
    # The defaults of portal/settings.py, whatever the environment says. (Moderation is
    # "all" until a test saves a site settings record: see set_moderation.)
    settings.COMMENT_CAPTCHA = False
    settings.COMMENT_MIN_SECONDS = 3
    settings.COMMENT_MAX_LINKS = 2
    settings.COMMENT_RATE_LIMIT = 5
    settings.COMMENT_RATE_WINDOW = 600
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Staff users are made per test; a slow hash would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def set_moderation(mode: str) -> SiteSettings:
    """Choose which comments wait, where the administrators do: the site settings record."""
    record = SiteSettings.objects.filter(pk=1).first() or site.defaults()
    record.comment_moderation = mode
    record.save()  # its post_save empties the cached settings
    return record


@pytest.fixture
def moderator(db):
    return make_user("kiemduyet", group=roles.MODERATOR)


@pytest.fixture
def article(db):
    return make_article("Hội nghị tổng kết công tác tuyên giáo")


def comment_data(article, **overrides):
    """What the article page's form sends, opened 10 seconds ago."""
    data = {
        "name": "Nguyễn Văn An",
        "email": "an@example.vn",
        "body": "Bài viết rất hay và bổ ích.\nCảm ơn Ban biên tập.",
        "website": "",
        "opened": spam.make_form_token(article.pk, issued_at=time.time() - 10),
    }
    data.update(overrides)
    return data


def captcha_data(article):
    token = captcha.new_token(article.pk)
    return {"captcha_token": token, "captcha": captcha.answer(token)}


def post_url(article):
    return f"/bai-viet/{article.slug}/binh-luan/"


def rate_url(article):
    return f"/bai-viet/{article.slug}/danh-gia/"


def make_comment(article, body="Ý kiến đã duyệt của bạn đọc.", *, status=Comment.Status.APPROVED,
                 **kwargs):  # fmt: skip
    """A stored comment, with the article's count set as the services would."""
    comment = Comment.objects.create(
        article=article, name=kwargs.pop("name", "Bạn đọc"),
        email=kwargs.pop("email", "bandoc@example.vn"), body=body, status=status, **kwargs,
    )  # fmt: skip
    services.comments_recount(article_ids=[article.pk])
    return comment
