"""64 readers download one file at the same moment: every download is counted, once.

Real requests through the whole stack (test client, one thread and one database
connection per reader), flushed while downloads are still arriving, as a worker's
flusher thread would. bench/documents.py repeats this against gunicorn with 4 workers.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from stats import counting
from tests.conftest import BROWSER_UA
from tests.documents.conftest import make_document

READERS = 64


@pytest.mark.django_db(transaction=True)
def test_64_concurrent_downloads_from_distinct_readers_are_counted_exactly(terms):
    doc = make_document(terms)
    file = doc.files.get()
    url = file.get_absolute_url()
    start = threading.Barrier(READERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def reader(n: int) -> None:
        try:
            client = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"10.20.{n // 200}.{n % 200}")
            start.wait()
            for _ in range(2):  # a second click of the same reader: no second count
                response = client.get(url)
                b"".join(response.streaming_content)
                response.close()
                with lock:
                    statuses.append(response.status_code)
            if n % 8 == 0:
                counting.buffer.flush()  # flushes interleaved with downloads
        finally:
            connection.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    counting.buffer.flush()

    assert statuses == [200] * (2 * READERS)
    file.refresh_from_db()
    doc.refresh_from_db()
    assert file.download_count == READERS
    assert doc.download_count == READERS
