"""Single flight: many readers missing the same page at once cause one render; the others
wait for its copy, and render themselves when it does not come."""

import threading

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered

from news.models import Article
from portal import pagecache
from stats import counting
from tests.conftest import BROWSER_UA, make_article, make_category


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_SECONDS = 30


@pytest.fixture
def renders():
    """How many times the article template was rendered (a real counter, all threads)."""
    seen = []
    lock = threading.Lock()

    def on_render(sender, template, **kwargs):
        if template.name == "news/article.html":
            with lock:
                seen.append(1)

    template_rendered.connect(on_render)
    yield seen
    template_rendered.disconnect(on_render)


@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_misses_render_the_page_once(renders):
    article = make_article(category=make_category("Thời sự"), allow_comments=True)
    url = article.get_absolute_url()
    n = 16
    barrier = threading.Barrier(n)
    results = [None] * n

    def read(i):
        try:
            client = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"203.113.30.{i + 1}")
            barrier.wait(timeout=30)
            response = client.get(url)
            results[i] = (response.status_code, response["X-Page-Cache"],
                          article.title in response.content.decode())  # fmt: skip
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(renders) == 1
    assert all(status == 200 and shown for status, _, shown in results), results
    assert sorted(kind for _, kind, _ in results) == ["hit"] * (n - 1) + ["miss"]
    # Waiting readers are counted like every other reader.
    counting.buffer.flush()
    assert Article.objects.get(pk=article.pk).view_count == n


@pytest.mark.django_db
def test_a_reader_waits_a_bounded_time_then_renders_the_page_itself(monkeypatch, renders):
    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.05)
    article = make_article(category=make_category("Thời sự"))
    url = article.get_absolute_url()
    # Another worker holds the page's lock and never finishes.
    from django.test import RequestFactory

    request = RequestFactory().get(url)
    caches["pages"].add(pagecache.key_for(request) + ":lock", 1, 60)
    response = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.31.1").get(url)
    assert response.status_code == 200 and article.title in response.content.decode()
    assert response["X-Page-Cache"] == "miss"
    assert len(renders) == 1


@pytest.mark.django_db
def test_pages_that_are_not_cacheable_take_no_lock(monkeypatch):
    taken = []
    store = caches["pages"]
    real_add = store.add
    monkeypatch.setattr(
        store, "add", lambda key, *a, **k: taken.append(key) or real_add(key, *a, **k)
    )
    assert Client().get("/robots.txt").status_code == 200
    assert not [key for key in taken if key.endswith(":lock")]
