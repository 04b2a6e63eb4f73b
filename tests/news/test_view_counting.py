"""Article views: once per reader per 30 minutes, no bots, no staff, no lost counts."""

import threading
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from news.models import Article
from stats import counting
from stats.models import CountMark
from tests.conftest import BROWSER_UA, make_article


def views(article):
    article.refresh_from_db()
    return article.view_count


@pytest.mark.django_db
def test_a_view_counts_once_per_reader_and_reloads_do_not_inflate(reader_client):
    article = make_article()
    for _ in range(3):
        assert reader_client.get(article.get_absolute_url()).status_code == 200
    counting.buffer.flush()
    assert views(article) == 1
    reader_client.get(article.get_absolute_url())
    counting.buffer.flush()
    assert views(article) == 1


@pytest.mark.django_db
def test_the_count_is_shown_on_the_article_page(reader_client):
    article = make_article()
    reader_client.get(article.get_absolute_url())
    counting.buffer.flush()
    assert "1 lượt xem" in reader_client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_another_reader_counts_and_the_same_reader_counts_again_after_30_minutes(reader_client):
    article = make_article()
    reader_client.get(article.get_absolute_url())
    Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="198.51.100.7").get(article.get_absolute_url())
    counting.buffer.flush()
    assert views(article) == 2
    CountMark.objects.update(counted_at=timezone.now() - timedelta(minutes=31))
    reader_client.get(article.get_absolute_url())
    counting.buffer.flush()
    assert views(article) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/124.0 Safari/537.36",
        "",
    ],
)
def test_bots_do_not_count(client, agent):
    article = make_article()
    response = client.get(article.get_absolute_url(), HTTP_USER_AGENT=agent)
    assert response.status_code == 200
    counting.buffer.flush()
    assert views(article) == 0


@pytest.mark.django_db
def test_staff_views_and_previews_do_not_count(client, editor):
    article = make_article()
    draft = make_article("Bản nháp", status=Article.Status.DRAFT)
    client.force_login(editor)
    client.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)
    client.get(draft.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)
    counting.buffer.flush()
    assert views(article) == 0 and views(draft) == 0


@pytest.mark.django_db
def test_no_raw_ip_address_is_stored(reader_client):
    article = make_article()
    reader_client.get(article.get_absolute_url())
    counting.buffer.flush()
    mark = CountMark.objects.get()
    assert len(bytes(mark.reader)) == 16
    assert b"203.113.1.10" not in bytes(mark.reader)


@pytest.mark.django_db(transaction=True)
def test_64_concurrent_readers_are_counted_exactly():
    article = make_article()
    url = article.get_absolute_url()
    statuses = []

    def read(i):
        client = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"10.1.{i // 250}.{i % 250}")
        statuses.append(client.get(url).status_code)
        client.get(url)  # a reload by the same reader does not count

    threads = [threading.Thread(target=read, args=(i,)) for i in range(64)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counting.buffer.flush()
    assert statuses == [200] * 64
    assert views(article) == 64


@pytest.mark.django_db(transaction=True)
def test_concurrent_flushes_from_many_workers_lose_nothing_and_double_count_nothing():
    """Eight 'workers' flush overlapping batches at once: shared readers count once."""
    article = make_article()
    now = timezone.now()
    buffers = [counting.Buffer() for _ in range(8)]
    for w, buf in enumerate(buffers):
        for r in range(100):
            # readers 0-49 are seen by every worker, 50-99 are unique to this worker
            reader = r.to_bytes(16, "big") if r < 50 else (1000 * (w + 1) + r).to_bytes(16, "big")
            buf.add("article", article.pk, reader, now)
    barrier = threading.Barrier(len(buffers))

    def flush(buf):
        barrier.wait()
        buf.flush()

    threads = [threading.Thread(target=flush, args=(b,)) for b in buffers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert views(article) == 50 + 8 * 50
