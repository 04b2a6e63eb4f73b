"""When PostgreSQL is away readers get "Hệ thống tạm thời gián đoạn" with 503 and
Retry-After (never a stack trace), and the portal serves pages again by itself once the
database is back. The failures are real: the connection is pointed at a closed port, or
its server process is terminated; nothing of the ORM is mocked."""

import socket
import time
from contextlib import contextmanager

import psycopg2
import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client, RequestFactory

from portal import views
from tests.conftest import BROWSER_UA, make_article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_connection_afterwards():
    yield
    connection.close()  # whatever a failed test left, the table flush needs a live one


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nobody listens there once the socket is closed


@contextmanager
def database_away():
    """Drop the connection and point it at a port where no server listens."""
    saved = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        # Only the address comes back: no close(), no reconnect; the next request must
        # find its way to the database on its own.
        connection.settings_dict.update(saved)


def reader():
    return Client(
        HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10", raise_request_exception=False
    )


def assert_outage_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in html
    assert "sẽ sớm hoạt động trở lại" in html
    for leak in ("Traceback", "OperationalError", "psycopg2", "127.0.0.1", "connection"):
        assert leak not in html


def test_readers_get_the_outage_page_and_the_portal_comes_back_by_itself():
    article = make_article("Hội nghị tổng kết công tác tuyên giáo")
    client = reader()
    assert client.get("/").status_code == 200
    with database_away():
        # The home page just read needs no query (its lists are cached fragments).
        assert "Hội nghị tổng kết công tác tuyên giáo" in client.get("/").content.decode()
        for path in [article.get_absolute_url(), "/van-ban/?page=2", "/tim-kiem/?q=hoi+nghi"]:
            assert_outage_page(client.get(path))
        # The login form itself needs no database; signing in does.
        login = {"username": "bientap", "password": "mat-khau-Thu-2026"}
        assert_outage_page(client.post("/admin/login/", login))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Hội nghị tổng kết công tác tuyên giáo" in response.content.decode()


def test_a_connection_killed_under_the_portal_is_replaced_on_the_next_request():
    url = make_article("Hội nghị tổng kết công tác tuyên giáo").get_absolute_url()
    client = reader()
    assert client.get(url).status_code == 200  # the article page reads its row
    pid = connection.connection.get_backend_pid()  # kept open between requests (CONN_MAX_AGE)
    params = connection.get_connection_params()
    with psycopg2.connect(**params) as admin_connection, admin_connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        # pg_terminate_backend only signals the backend: wait until it has gone, as a
        # restart between two requests has.
        for _ in range(500):
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() is None:
                break
            time.sleep(0.01)
    admin_connection.close()
    # CONN_HEALTH_CHECKS: at the start of a request (request_started, which the test client
    # leaves out to keep the test's connection, so it is sent here as gunicorn does) the
    # connection is marked for a check; the dead one is noticed by Django's health check
    # before the first query and a new one is opened.
    # The reader never sees the restart.
    close_old_connections()
    assert client.get(url).status_code == 200
    assert connection.connection.get_backend_pid() != pid


def test_a_database_error_outside_a_view_gets_the_same_page():
    # handler500 answers what no middleware caught (an error in a middleware itself).
    request = RequestFactory().get("/")
    with database_away():
        try:
            connection.ensure_connection()
        except OperationalError:
            response = views.server_error(request)
        else:
            pytest.fail("the database was still reachable")
    assert_outage_page(response)


def test_other_errors_still_get_the_plain_error_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = views.server_error(request)
    assert response.status_code == 500
    assert "Retry-After" not in response
