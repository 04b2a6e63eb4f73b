"""Two-step login: enrolment by QR code with backup codes, login with a TOTP code computed
here, replayed/expired/reused codes refused, axes lockout on the second step, a policy
that makes it mandatory for chosen groups, and the lost-phone reset."""

import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from portal import roles
from tests.conftest import BROWSER_UA, make_user
from twofactor.models import TwoFactorPolicy

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-Thu-2026"
SETUP = "/admin/xac-thuc-hai-buoc/"
VERIFY = "/admin/xac-thuc/"


def office():
    return Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10")


def password_step(client, username="bientap"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": PASSWORD, "next": "/admin/"},
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def code(key: bytes, *, ago: int = 0) -> str:
    totp = TOTP(key)
    totp.time = time.time() - ago
    return f"{totp.token():06d}"


def enrol(client) -> tuple[bytes, list[str]]:
    page = client.get(SETUP).content.decode()
    assert "<svg" in page  # the QR code, drawn on the server
    secret = re.search(r'id="twofactor-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    response = client.post(SETUP, {"token": code(key)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xác thực hai bước đã bật" in html
    codes = re.findall(r"<li><code>([^<]+)</code></li>", html)
    assert len(codes) == 10
    return key, codes


@pytest.fixture
def enrolled(editor):
    client = office()
    client.force_login(editor)
    key, codes = enrol(client)
    # The code used to enrol is spent; the next test code must be from a later step.
    TOTPDevice.objects.update(last_t=int(time.time() // 30) - 5)
    return key, codes


def test_without_an_app_the_password_alone_logs_in(editor):
    client = office()
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert logged_in(client)


def test_enrolment_is_recorded_and_a_wrong_code_enrols_nothing(editor):
    client = office()
    client.force_login(editor)
    response = client.post(SETUP, {"token": "000000"})
    assert response.status_code == 400
    assert "Mã không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    enrol(client)
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TWO_FACTOR_ENROLLED).exists()


def test_login_asks_for_the_code_and_accepts_the_current_one(enrolled):
    key, _ = enrolled
    client = office()
    response = password_step(client)
    assert response["Location"] == VERIFY
    assert not logged_in(client)  # the password alone is not a login
    assert client.get("/admin/").status_code == 302
    response = client.post(VERIFY, {"token": code(key)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert logged_in(client)


def test_a_replayed_code_is_refused(enrolled):
    key, _ = enrolled
    first = office()
    password_step(first)
    used = code(key)
    assert first.post(VERIFY, {"token": used}).status_code == 302
    second = office()
    password_step(second)
    response = second.post(VERIFY, {"token": used})
    assert response.status_code == 400
    assert "đã được dùng" in response.content.decode()
    assert not logged_in(second)


def test_an_expired_code_is_refused(enrolled):
    key, _ = enrolled
    client = office()
    password_step(client)
    response = client.post(VERIFY, {"token": code(key, ago=600)})
    assert response.status_code == 400
    assert not logged_in(client)


def test_a_backup_code_works_once(enrolled):
    _, codes = enrolled
    client = office()
    password_step(client)
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 302
    again = office()
    password_step(again)
    response = again.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 400
    assert not logged_in(again)


def test_wrong_codes_lock_the_second_step_out(enrolled):
    key, _ = enrolled
    client = office()
    password_step(client)
    statuses = [client.post(VERIFY, {"token": "123456"}).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    response = client.post(VERIFY, {"token": code(key)})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert not logged_in(client)


def test_a_required_group_must_enrol_before_using_the_admin(editor):
    policy = TwoFactorPolicy.objects.create(pk=1)
    policy.required_groups.add(Group.objects.get(name=roles.EDITOR))
    client = office()
    response = password_step(client)
    assert response["Location"] == SETUP
    response = client.get("/admin/news/article/")
    assert response.status_code == 302 and response["Location"] == SETUP
    assert "Nhóm của bạn bắt buộc bật xác thực hai bước" in client.get(SETUP).content.decode()
    enrol(client)
    assert client.get("/admin/news/article/").status_code == 200


def test_lost_phone_reset_returns_to_password_login(enrolled, editor):
    call_command("reset_two_factor", "bientap", verbosity=0)
    client = office()
    response = password_step(client)
    assert response["Location"] == "/admin/"
    assert logged_in(client)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TWO_FACTOR_RESET).exists()


def test_an_administrator_resets_a_lost_phone_from_the_user_list(enrolled, editor):
    admin = office()
    admin.force_login(make_user("quantri", superuser=True))
    response = admin.post(
        "/admin/auth/user/",
        {"action": "reset_two_factor", "_selected_action": [editor.pk]},
        follow=True,
    )
    assert "Đã đặt lại xác thực hai bước cho bientap" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.TWO_FACTOR_RESET)
    assert entry.detail == "đặt lại trong trang quản trị"
    client = office()
    assert password_step(client)["Location"] == "/admin/"  # the password alone again
    # django-otp's own device pages (raw secrets, English headings) are not in the admin.
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_a_new_phone_replaces_the_old_app(enrolled, editor):
    old_key, codes = enrolled
    client = office()
    password_step(client)
    assert client.post(VERIFY, {"token": codes[1]}).status_code == 302  # a backup code
    page = client.post(SETUP, {"action": "replace"}).content.decode()
    assert "quét mã QR" in page
    new_key, _ = enrol(client)
    assert new_key != old_key
    assert TOTPDevice.objects.filter(user=editor).count() == 1
