"""The audit log records who did what, to what, when and from where (a daily hash, never
the address), is browsed and filtered read-only in the admin, and archives old entries."""

import gzip
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from news.models import Article
from portal import roles
from tests.conftest import BROWSER_UA, make_article, make_user

pytestmark = pytest.mark.django_db

A = AuditEntry.Action
PASSWORD = "mat-khau-Thu-2026"
ADDRESS = "203.113.1.10"


def office():
    return Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=ADDRESS)


def login(client, username, password=PASSWORD):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
    )


def actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", "username"))


def test_login_failed_login_and_logout_are_recorded_without_the_address(editor):
    client = office()
    login(client, "bientap", "sai-mat-khau")
    login(client, "bientap")
    client.post("/admin/logout/")
    assert actions() == [(A.LOGIN_FAILED, "bientap"), (A.LOGIN, "bientap"), (A.LOGOUT, "bientap")]
    for entry in AuditEntry.objects.all():
        assert len(entry.client) == 32  # the day's reader hash, hex
        assert ADDRESS not in entry.client
    # One client, one day: the same hash.
    assert AuditEntry.objects.values("client").distinct().count() == 1


def test_lockout_is_recorded(editor):
    client = office()
    for _ in range(5):
        login(client, "bientap", "sai-mat-khau")
    assert AuditEntry.objects.filter(action=A.LOCKOUT, username="bientap").count() == 1


def test_publish_and_hide_actions_are_recorded_per_article(editor):
    draft = make_article("Bài chờ duyệt", status=Article.Status.PENDING)
    client = office()
    client.force_login(editor)
    client.post(
        "/admin/news/article/",
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    client.post("/admin/news/article/", {"action": "hide", "_selected_action": [draft.pk]})
    entries = AuditEntry.objects.filter(action__in=[A.PUBLISH, A.HIDE]).order_by("pk")
    assert [(e.action, e.object_repr, e.username) for e in entries] == [
        (A.PUBLISH, "Bài chờ duyệt", "bientap"),
        (A.HIDE, "Bài chờ duyệt", "bientap"),
    ]
    assert entries[0].object_id == str(draft.pk)


def test_delete_group_change_and_settings_change_are_recorded(admin_user, editor):
    article = make_article("Bài sẽ xóa")
    client = office()
    client.force_login(admin_user)
    client.post(f"/admin/news/article/{article.pk}/delete/", {"post": "yes"})
    group = Group.objects.get(name=roles.REPORTER)
    response = client.post(
        f"/admin/auth/user/{editor.pk}/change/",
        {
            "username": "bientap", "is_active": "on", "is_staff": "on",
            "groups": [group.pk], "date_joined_0": "01/01/2026", "date_joined_1": "08:00:00",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(
        "/admin/pages/sitesettings/add/",
        {
            "site_name": "Cổng mới",
            "comment_moderation": "all",
            "visits_offset": 0,
            "pageviews_offset": 0,
        },
    )
    got = {(e.action, e.object_repr) for e in AuditEntry.objects.exclude(action=A.LOGIN)}
    assert (A.DELETE, "Bài sẽ xóa") in got
    assert (A.PERMISSIONS, "bientap") in got
    assert (A.SETTINGS, "Cổng mới") in got


def test_export_is_recorded(admin_user):
    # The log's own list (an article list would fix SlugLinks' cached site address for the
    # rest of the run).
    client = office()
    client.force_login(admin_user)
    assert client.get("/admin/audit/auditentry/xuat/csv/").status_code == 200
    entry = AuditEntry.objects.get(action=A.EXPORT)
    assert entry.username == "quantri"
    assert entry.detail.startswith("danh-sach-nhat-ky-he-thong-")


def test_nobody_can_add_change_or_delete_entries(admin_user):
    client = office()
    client.force_login(admin_user)
    entry = AuditEntry.objects.create(action=A.LOGIN, username="ai-do")
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"username": "khac"})
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.username == "ai-do"
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_editors_cannot_open_the_log(editor):
    client = office()
    client.force_login(editor)
    assert client.get("/admin/audit/auditentry/").status_code == 403


def test_filter_by_person_action_and_date_range(admin_user, editor, django_assert_num_queries):
    old = AuditEntry.objects.create(action=A.LOGIN, user=editor, username="bientap")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    AuditEntry.objects.create(action=A.LOGIN, user=editor, username="bientap")
    AuditEntry.objects.create(action=A.LOGOUT, user=editor, username="bientap")
    for i in range(30):
        AuditEntry.objects.create(action=A.LOGIN_FAILED, username=f"khach{i}")
    client = office()
    client.force_login(admin_user)
    today = timezone.localdate().strftime("%d/%m/%Y")
    url = f"/admin/audit/auditentry/?user__id__exact={editor.pk}&action=login&at_tu={today}&at_den={today}"
    # Session, user; the person filter's staff list, the object-type filter's types; the
    # filtered count; the admin menu's four (site settings, banner positions, baseline,
    # pending comments); the page's rows; the site block (settings, footer pages); the date
    # hierarchy (first/last, months); the session's sliding expiry (savepoint, update,
    # release). None of them grows with the number of entries.
    with django_assert_num_queries(17):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<td class="field-action">Đăng nhập</td>') == 1  # not the 40-day-old one
    assert "khach1" not in html
    assert "Đăng xuất</td>" not in html


def test_a_bad_date_is_not_a_server_error(admin_user):
    client = office()
    client.force_login(admin_user)
    response = client.get("/admin/audit/auditentry/?at_tu=31/02/2026", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("?e=1")  # the admin's "bad filter" page
    assert "Traceback" not in response.content.decode()


def test_archive_command_dry_run_changes_nothing_and_real_run_moves_old_entries(tmp_path):
    old = AuditEntry.objects.create(action=A.LOGIN, username="cu")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))
    AuditEntry.objects.create(action=A.LOGIN, username="moi")
    call_command("archive_audit", months=12, dry_run=True, output_dir=tmp_path, verbosity=0)
    assert AuditEntry.objects.count() == 2
    assert list(tmp_path.iterdir()) == []
    call_command("archive_audit", months=12, output_dir=tmp_path, verbosity=0)
    assert list(AuditEntry.objects.values_list("username", flat=True)) == ["moi"]
    (archive,) = tmp_path.iterdir()
    with gzip.open(archive, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    assert [r["username"] for r in rows] == ["cu"]


def test_reporter_is_not_an_admin_of_the_log(db):
    reporter = make_user("pv2", group=roles.REPORTER)
    client = office()
    client.force_login(reporter)
    assert client.get("/admin/audit/auditentry/").status_code == 403
