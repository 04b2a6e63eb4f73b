"""No raw IP address is stored: after real traffic, no table holds one."""

import ipaddress

import pytest
from django.db import connection

from tests.conftest import make_article
from tests.stats.conftest import IPHONE_SAFARI, flush, reader

pytestmark = pytest.mark.django_db

ADDRESSES = ["203.113.147.29", "14.161.22.203", "2402:800:6314:1c2a::1f"]


def every_row_as_text() -> list[tuple[str, str]]:
    """(table, row::text) of every row of every table of the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        tables = [t for (t,) in cursor.fetchall()]
        rows = []
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT t::text FROM {quoted} AS t")  # noqa: S608 - catalog names
            rows += [(table, text) for (text,) in cursor.fetchall()]
    return rows


def forms_of(address: str) -> list[str]:
    """The address as text, and its bytes as PostgreSQL prints a bytea (\\x...)."""
    ip = ipaddress.ip_address(address)
    return [str(ip), ip.exploded, ip.packed.hex()]


def test_no_table_holds_a_readers_ip_address(settings, clock):
    settings.PROXY_COUNT = 1  # one address through the proxy header, as in production
    article = make_article()
    for address in ADDRESSES[:2]:
        browser = reader(ip=address, HTTP_REFERER="https://www.google.com/")
        browser.get("/")
        browser.get(article.get_absolute_url())
    behind_proxy = reader(ip="127.0.0.1", ua=IPHONE_SAFARI, HTTP_X_FORWARDED_FOR=ADDRESSES[2])
    behind_proxy.get(article.get_absolute_url())
    behind_proxy.get("/tim-kiem/", {"q": "hội nghị"})
    flush()

    rows = every_row_as_text()
    tables = {table for table, _ in rows}
    assert {"stats_readerday", "stats_dailytraffic", "stats_pageviews"} <= tables
    assert any(t == "stats_readerday" for t, _ in rows)  # readers were recorded...
    for address in ADDRESSES:
        for form in forms_of(address):
            leaks = [table for table, text in rows if form.lower() in text.lower()]
            assert not leaks, f"{address} found in {leaks}"  # ...but none by address
