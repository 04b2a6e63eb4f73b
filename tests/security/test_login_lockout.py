"""The admin login locks a user name out for one client after five wrong passwords, answers
in Vietnamese with 429 and Retry-After, and keeps no raw address of anyone who tried."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client
from django.utils import timezone

from portal import roles
from tests.conftest import BROWSER_UA, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-Thu-2026"
LOGIN = "/admin/login/?next=/admin/"
ADDRESS = "203.113.1.10"


def office(address=ADDRESS):
    return Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=address)


def login(client, password, username="bientap"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def staff(db):
    return make_user("bientap", group=roles.EDITOR, password=PASSWORD)


def test_four_wrong_passwords_still_show_the_form(staff):
    client = office()
    for _ in range(4):
        response = login(client, "sai-mat-khau")
        assert response.status_code == 200
        assert "Bạn hãy nhập đúng" in response.content.decode()
    assert login(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_fifth_wrong_password_locks_even_the_right_one_out(staff):
    client = office()
    statuses = [login(client, "sai-mat-khau").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = login(client, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    html = response.content.decode()
    assert "Tạm khóa đăng nhập" in html
    assert "Đăng nhập sai quá 5 lần" in html
    assert "tạm bị khóa trong 15 phút" in html
    assert response["Retry-After"] == "900"
    assert "Traceback" not in html


def test_lock_ends_after_the_cool_off(staff):
    client = office()
    for _ in range(5):
        login(client, "sai-mat-khau")
    assert login(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_lock_is_for_this_client_only(staff):
    attacker = office("198.51.100.7")
    for _ in range(6):
        login(attacker, "sai-mat-khau")
    assert login(attacker, PASSWORD).status_code == 429
    # The editor at the office is not locked out by someone else's guesses.
    colleague = office()
    assert login(colleague, PASSWORD).status_code == 302


def test_behind_the_proxy_the_forwarded_address_tells_clients_apart(staff, settings):
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker = Client(
        HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    for _ in range(5):
        login(attacker, "sai-mat-khau")
    assert login(attacker, PASSWORD).status_code == 429
    colleague = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=ADDRESS)
    assert login(colleague, PASSWORD).status_code == 302


def test_a_success_resets_the_count(staff):
    client = office()
    for _ in range(4):
        login(client, "sai-mat-khau")
    assert login(client, PASSWORD).status_code == 302
    client.post("/admin/logout/")
    for _ in range(4):
        assert login(client, "sai-mat-khau").status_code == 200
    assert login(client, PASSWORD).status_code == 302


def test_trying_one_password_on_many_user_names_is_stopped(staff, settings):
    settings.LOGIN_CLIENT_FAILURE_LIMIT = 12
    client = office("198.51.100.7")
    statuses = [login(client, "123456", username=f"nguoidung{i}").status_code for i in range(15)]
    assert statuses[:12] == [200] * 12
    assert statuses[12:] == [429] * 3
    assert login(client, PASSWORD).status_code == 429
    assert login(office(), PASSWORD).status_code == 302


def test_no_raw_address_is_stored(staff):
    client = office()
    for _ in range(5):
        login(client, "sai-mat-khau")
    other = office("14.160.1.1")
    assert login(other, PASSWORD).status_code == 302
    rows = [*AccessAttempt.objects.all(), *AccessFailureLog.objects.all(), *AccessLog.objects.all()]
    assert len(rows) >= 3
    stored = " ".join(
        str(getattr(row, field.attname)) for row in rows for field in row._meta.concrete_fields
    )
    assert ADDRESS not in stored and "14.160.1.1" not in stored
    addresses = {row.ip_address for row in rows}
    assert all(a.startswith("2001:db8:") for a in addresses), addresses
    assert len(addresses) == 2  # two clients, told apart
    assert "sai-mat-khau" not in stored and PASSWORD not in stored


def test_force_login_is_not_affected(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_lockout_page_has_no_empty_sidebar_or_user_tools(staff):
    client = office()
    for _ in range(5):
        login(client, "sai-mat-khau")
    html = login(client, PASSWORD).content.decode()
    assert "Đăng nhập sai quá 5 lần" in html
    assert "Bạn không có quyền xem hoặc chỉnh sửa bất cứ gì" not in html
    assert 'id="nav-sidebar"' not in html


def test_client_cap_says_so_and_when_it_lifts(staff, settings):
    settings.LOGIN_CLIENT_FAILURE_LIMIT = 20
    client = office("198.51.100.7")
    start = timezone.now()
    for i in range(20):
        login(client, "123456", username=f"nguoidung{i}")
    # The oldest user names' failures age out first: the cap lifts a cool-off after them.
    AccessAttempt.objects.filter(username__in=["nguoidung0", "nguoidung1"]).update(
        attempt_time=start - timedelta(minutes=10)
    )
    # A user whose name never failed, with the right password.
    response = login(client, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Máy của bạn đã đăng nhập sai quá 20 lần" in html
    assert "kể cả với tên và mật khẩu đúng" in html
    assert "tên này" not in html
    lifts = timezone.localtime(start - timedelta(minutes=10) + timedelta(minutes=15))
    assert f"Việc khóa hết lúc {lifts:%H:%M} (khoảng 5 phút nữa)" in html
    assert 240 <= int(response["Retry-After"]) <= 300


def test_login_with_an_unsafe_next_lands_on_the_admin_index(staff):
    client = office()
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "bientap", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
