"""Two workers flush at the same moment, with overlapping rows in opposite order: both
flushes go through (no deadlock, so no flush rolled back and retried) and every count is
exact. Real PostgreSQL, one connection per flusher thread."""

import logging
import secrets
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections

from documents.models import Document
from news.models import Article
from stats import counting
from tests.conftest import make_article, make_category
from tests.documents.conftest import make_document, terms  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def reader() -> bytes:
    return secrets.token_bytes(16)


def flush_in_thread(buffer: counting.Buffer, results: dict, name: str) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = buffer.flush()
            results[f"{name} pending"] = buffer.pending()
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def wait_for_lock_waits(n: int) -> None:
    """Until `n` other backends of this database wait on a lock (or 10 s pass)."""
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= n:
                return
            time.sleep(0.02)
    raise AssertionError(f"{n} flushes never waited on a lock")


def test_flushes_with_views_and_downloads_crossed_on_two_documents_do_not_deadlock(
    terms,  # noqa: F811
    caplog,
):
    """The deadlock that was possible: flush A adds a download to document 2 and a view
    to document 1, flush B a download to document 1 and a view to document 2. Views and
    downloads are separate statements on one table, so before every flush locked its
    counter rows by id first, A held 2 and wanted 1 while B held 1 and wanted 2.

    A third connection holds document 2 until both flushes are waiting, so they always
    meet in the middle, whatever the timing."""
    one = make_document(terms, code="1-HD/BTGTU", with_file=False)
    two = make_document(terms, code="2-HD/BTGTU", with_file=False)
    now = counting.now()
    a, b = counting.Buffer(), counting.Buffer()
    a.add("document_download", two.pk, reader(), now)
    a.add("document_view", one.pk, reader(), now)
    b.add("document_download", one.pk, reader(), now)
    b.add("document_view", two.pk, reader(), now)

    gate = connections.create_connection("default")
    gate.set_autocommit(False)
    with gate.cursor() as cursor:
        cursor.execute("SELECT 1 FROM documents_document WHERE id = %s FOR UPDATE", [two.pk])
    results: dict = {}
    with caplog.at_level(logging.ERROR, logger="stats.counting"):
        threads = [flush_in_thread(a, results, "A")]
        wait_for_lock_waits(1)
        threads.append(flush_in_thread(b, results, "B"))
        wait_for_lock_waits(2)
        gate.rollback()
        gate.close()
        for thread in threads:
            thread.join(timeout=30)

    assert "stats flush failed" not in caplog.text  # no deadlock, nothing retried
    assert results == {"A": 2, "A pending": 0, "B": 2, "B pending": 0}
    for document in (one, two):
        document.refresh_from_db()
        assert (document.view_count, document.download_count) == (1, 1)


@pytest.mark.parametrize("held", [0, 10, 20, 30, 39])
def test_two_flushes_of_overlapping_articles_in_opposite_order_do_not_deadlock(held, caplog):
    """Flush A counts 40 articles (ascending), flush B every third of them (descending).
    The counter `UPDATE ... FROM` used to lock rows in the order of its join, which differs
    between two sets of ids: with one article held until both flushes wait, the old code
    deadlocked for some of these positions, which ones depending on the plan (`deadlock
    detected ... while updating tuple in relation "news_article"`, as bench/multi.py saw
    between instances)."""
    category = make_category()
    ids = [make_article(f"Bài {i}", category=category).pk for i in range(40)]
    now = counting.now()
    a, b = counting.Buffer(), counting.Buffer()
    for pk in ids:
        a.add("article", pk, reader(), now)
    for pk in reversed(ids[::3]):
        b.add("article", pk, reader(), now)

    gate = connections.create_connection("default")
    gate.set_autocommit(False)
    with gate.cursor() as cursor:
        cursor.execute("SELECT 1 FROM news_article WHERE id = %s FOR UPDATE", [ids[held]])
    results: dict = {}
    with caplog.at_level(logging.ERROR, logger="stats.counting"):
        threads = [flush_in_thread(a, results, "A")]
        wait_for_lock_waits(1)
        threads.append(flush_in_thread(b, results, "B"))
        wait_for_lock_waits(2)
        gate.rollback()
        gate.close()
        for thread in threads:
            thread.join(timeout=30)

    assert "stats flush failed" not in caplog.text
    assert results == {"A": 40, "A pending": 0, "B": 14, "B pending": 0}
    counts = dict(Article.objects.filter(pk__in=ids).values_list("pk", "view_count"))
    assert counts == {pk: 2 if pk in ids[::3] else 1 for pk in ids}


def test_purging_old_marks_while_a_flush_recounts_them_does_not_deadlock(
    terms,  # noqa: F811
    caplog,
):
    """The purge deletes expired marks while a flush may re-count the same readers (their
    old marks are updated): both take the marks in (kind, object, reader) order."""
    documents = [make_document(terms, code=f"{i}-HD/BTGTU", with_file=False) for i in range(1, 4)]
    readers = sorted(reader() for _ in range(20))
    long_ago = counting.now() - timedelta(days=1)
    old = counting.Buffer()
    for document in documents:
        for r in readers:
            old.add("document_view", document.pk, r, long_ago)
    old.flush()
    now = counting.now()
    again = counting.Buffer()
    for document in reversed(documents):
        for r in reversed(readers):
            again.add("document_view", document.pk, r, now)

    results: dict = {}
    with caplog.at_level(logging.ERROR, logger="stats.counting"):
        start = threading.Barrier(2)

        def purge():
            try:
                start.wait()
                results["purged"] = counting.purge_marks()
            finally:
                connection.close()

        def flush():
            try:
                start.wait()
                results["counted"] = again.flush()
            finally:
                connection.close()

        threads = [threading.Thread(target=purge), threading.Thread(target=flush)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert "stats flush failed" not in caplog.text
    assert results["counted"] == 60  # every old mark is past the window: all count again
    for document in Document.objects.filter(pk__in=[d.pk for d in documents]):
        assert document.view_count == 2 * len(readers)
