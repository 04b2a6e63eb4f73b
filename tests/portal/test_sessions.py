"""Staff sessions: sliding expiry, the keep-alive endpoint, logout on expiry, and no
session at all for readers."""

import time

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client

from portal import sessions
from tests.banners.conftest import make_banner

pytestmark = pytest.mark.django_db

STATUS = "/phien-dang-nhap/"
KEEPALIVE = "/phien-dang-nhap/duy-tri/"


def set_seen(client, seconds_ago):
    session = client.session
    session[sessions.SEEN_KEY] = int(time.time() - seconds_ago)
    session.save()


def seen(client):
    return client.session.get(sessions.SEEN_KEY)


def expire_date(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.fixture
def staff_client(client, editor):
    client.force_login(editor)
    return client


def test_readers_get_no_session_and_no_notice(reader_client):
    make_banner()
    for url in ["/", f"/lien-ket/{make_banner().pk}/"]:
        response = reader_client.get(url)
        assert django_settings.SESSION_COOKIE_NAME not in response.cookies
        assert "session-notice" not in response.content.decode()
    assert Session.objects.count() == 0
    response = reader_client.get(STATUS)
    assert response.status_code == 401
    assert response.json() == {"authenticated": False, "remaining": 0}
    assert reader_client.post(KEEPALIVE).status_code == 401
    assert Session.objects.count() == 0


def test_logged_in_pages_carry_the_notice_and_its_script(staff_client, settings):
    html = staff_client.get("/").content.decode()
    assert 'id="session-notice"' in html
    assert f'data-remaining="{settings.SESSION_COOKIE_AGE}"' in html
    assert 'data-warning="60"' in html
    assert "Bạn đã không sử dụng Site, Bấm vào đây để duy trì trạng thái đăng nhập." in html
    assert "Thời gian chờ: <span data-countdown>60</span> giây" in html
    assert "/static/js/session.js" in html
    assert "<script>" not in html  # static scripts only (a CSP comes later)


def test_admin_pages_carry_the_notice_and_the_draft_keeper(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert 'id="session-notice"' in html
    assert "/static/js/session.js" in html and "/static/js/draft.js" in html
    login = Client().get("/admin/login/").content.decode()
    assert 'id="session-notice"' not in login


def test_status_tells_the_time_left_without_extending(staff_client):
    staff_client.get("/")
    set_seen(staff_client, 100)
    before_seen, before_expiry = seen(staff_client), expire_date(staff_client)
    response = staff_client.get(STATUS)
    assert response.status_code == 200
    data = response.json()
    assert data["authenticated"] is True
    assert (
        django_settings.SESSION_COOKIE_AGE - 102
        <= data["remaining"]
        <= django_settings.SESSION_COOKIE_AGE - 99
    )
    assert seen(staff_client) == before_seen
    assert expire_date(staff_client) == before_expiry
    assert response["Cache-Control"].startswith("max-age=0")


def test_keepalive_extends_the_session_on_the_server(staff_client):
    staff_client.get("/")
    set_seen(staff_client, 1500)
    before = expire_date(staff_client)
    response = staff_client.post(KEEPALIVE)
    assert response.status_code == 200
    assert response.json() == {
        "authenticated": True,
        "remaining": django_settings.SESSION_COOKIE_AGE,
    }
    assert seen(staff_client) >= int(time.time()) - 1
    assert expire_date(staff_client) > before


def test_keepalive_needs_post_and_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(KEEPALIVE).status_code == 405
    assert client.post(KEEPALIVE).status_code == 403
    html = client.get("/").content.decode()
    token = html.split('data-csrf="', 1)[1].split('"', 1)[0]
    response = client.post(KEEPALIVE, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["authenticated"] is True


def test_activity_slides_the_expiry_at_most_once_a_minute(staff_client):
    staff_client.get("/")
    set_seen(staff_client, 10)
    stamp = seen(staff_client)
    response = staff_client.get("/")
    assert seen(staff_client) == stamp  # recent: no write
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    set_seen(staff_client, 61)
    response = staff_client.get("/")
    assert seen(staff_client) >= int(time.time()) - 1
    assert django_settings.SESSION_COOKIE_NAME in response.cookies  # saved, new expiry


def test_an_idle_session_is_logged_out_on_the_server(staff_client):
    staff_client.get("/admin/")
    set_seen(staff_client, django_settings.SESSION_COOKIE_AGE + 1)
    response = staff_client.get(STATUS)
    assert response.status_code == 401
    assert response.json()["authenticated"] is False
    response = staff_client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_idle_admin_page_load_says_the_session_ended(staff_client):
    staff_client.get("/admin/")
    set_seen(staff_client, django_settings.SESSION_COOKIE_AGE + 5)
    response = staff_client.get("/admin/", follow=True)
    assert "/admin/login/" in response.redirect_chain[-1][0]
    assert "Phiên đăng nhập đã hết hạn vì quá lâu không sử dụng" in response.content.decode()


def test_session_length_is_a_setting(staff_client, settings):
    settings.SESSION_COOKIE_AGE = 120
    staff_client.get("/")
    set_seen(staff_client, 119)
    assert staff_client.get(STATUS).json()["remaining"] <= 1
    set_seen(staff_client, 121)
    assert staff_client.get(STATUS).status_code == 401
