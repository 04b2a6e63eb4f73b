"""Shared fixtures: personas (editor, reporter, admin), `make_*` helpers, and test-only
overrides of settings that production reads from the environment."""

import re
import shutil
import tempfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache, caches
from django.test import override_settings
from django.utils import timezone

from news.models import Article, Category
from portal import roles

# Tests talk plain http to the test client and to live_server: no https redirect and no
# secure-only cookies (production defaults are the opposite, see portal/settings.py).
settings.SECURE_SSL_REDIRECT = False
settings.SESSION_COOKIE_SECURE = False
settings.CSRF_COOKIE_SECURE = False
settings.SECURE_HSTS_SECONDS = 0
settings.HTTPS = False  # no upgrade-insecure-requests in the policy either
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
settings.WHITENOISE_USE_FINDERS = True
settings.CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "frag"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# Counts are flushed explicitly by the tests (stats.counting.buffer.flush()), on the test's
# own connection, so they see the test transaction.
settings.STATS_FLUSH_INTERVAL = 0
# The site-wide blocks read again after a change (a new content generation), on every page
# that shows them: the staff-edited menu, the free blocks, the running topics, the open poll.
SITE_BLOCKS_AFTER_A_CHANGE = 4
# Pages are rendered on every request unless a test turns the page cache on (its own tests).
settings.PAGE_CACHE = False
# Background tasks (exports) run inside the request, on the test's connection; the worker's
# own tests switch to the database backend and run `db_worker`.
# (override_settings, so that django-tasks drops a backend it may have set up at import.)
override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
).enable()
# Creating personas dominates many tests; a fast hasher keeps the suite quick.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_MEDIA = tempfile.mkdtemp(prefix="portal-test-media-")
settings.MEDIA_ROOT = _MEDIA


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_MEDIA, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_state():
    from stats import counting, readers

    cache.clear()
    caches["fragments"].clear()
    caches["pages"].clear()
    counting.buffer._take()
    readers.reset_salt_cache()
    yield
    cache.clear()
    caches["fragments"].clear()
    caches["pages"].clear()
    counting.buffer._take()


def form_tokens(client, html: str, form_class: str = "comment-form") -> dict:
    """What static/js/forms.js does for a form of a cached page: fetch its tokens (CSRF,
    and the comment form's "opened" time) from the URL the form names in data-tokens."""
    match = re.search(rf'<form[^>]* class="{form_class}"[^>]*data-tokens="([^"]+)"', html)
    assert match, f"no {form_class} form with data-tokens on the page"
    response = client.get(match.group(1))
    assert response.status_code == 200
    return response.json()


def make_user(username, *, group=None, superuser=False, password="mat-khau-Thu-2026"):
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.vn", password)
    user = User.objects.create_user(
        username, f"{username}@example.vn", password, is_staff=group is not None
    )
    if group:
        roles.sync_role_permissions()
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return make_user("bientap", group=roles.EDITOR)


@pytest.fixture
def reporter(db):
    return make_user("phongvien", group=roles.REPORTER)


@pytest.fixture
def admin_user(db):
    return make_user("quantri", superuser=True)


def make_category(name="Tin tức - Sự kiện", *, parent=None, order=0, **kwargs):
    return Category.objects.create(name=name, parent=parent, order=order, **kwargs)


def make_article(title="Bình Phước tổ chức hội nghị tổng kết công tác tuyên giáo năm 2021", *,
                 category=None, status=Article.Status.PUBLISHED, publish_at=None, **kwargs):  # fmt: skip
    if category is None:
        category = Category.objects.first() or make_category()
    return Article.objects.create(
        title=title,
        category=category,
        status=status,
        publish_at=publish_at or timezone.now() - timedelta(hours=1),
        summary=kwargs.pop("summary", "Tóm tắt bài viết."),
        body=kwargs.pop("body", "<p>Nội dung bài viết.</p>"),
        **kwargs,
    )


BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Mobile Safari/537.36"
)


@pytest.fixture
def reader_client(client):
    """An anonymous reader with a real browser's user agent (bots are not counted)."""
    client.defaults["HTTP_USER_AGENT"] = BROWSER_UA
    client.defaults["REMOTE_ADDR"] = "203.113.1.10"
    return client
