"""Only staff with the reporting permission reach a report or an export, checked by the
server on every URL: a reporter, a moderator and an anonymous reader are turned away."""

import pytest
from django.test import Client

from stats.periods import Period
from tests.conftest import make_article, make_user
from tests.reports.conftest import body

pytestmark = pytest.mark.django_db


def report_query(fmt="xlsx", report="bai-viet"):
    last = Period.previous_month()
    return (
        f"bao_cao={report}&ky=thang&nam={last.start.year}&thang={last.start.month}&dinh_dang={fmt}"
    )


def _job(user, prefix: str) -> str:
    """The job id of the user's export whose file name starts with `prefix`."""
    from django.conf import settings

    for folder in (settings.EXPORTS_DIR / str(user.pk)).iterdir():
        if any(f.name.startswith(prefix) for f in folder.iterdir()):
            return folder.name
    raise AssertionError(f"no export {prefix}")


@pytest.fixture
def urls(editor):
    """Every report and export URL, with real job ids made by the editor."""
    make_article()
    editor_client = Client()
    editor_client.force_login(editor)
    assert editor_client.get(f"/admin/bao-cao/tai-ve/?{report_query()}").status_code == 200
    assert editor_client.get("/admin/news/article/xuat/csv/").status_code == 200
    return [
        "/admin/bao-cao/",
        f"/admin/bao-cao/tai-ve/?{report_query()}",
        f"/admin/bao-cao/tai-ve/?{report_query('csv')}",
        f"/admin/bao-cao/tep/{_job(editor, 'bao-cao-')}/",
        "/admin/news/article/xuat/xlsx/",
        "/admin/news/article/xuat/csv/?status__exact=published",
        f"/admin/news/article/xuat/tep/{_job(editor, 'danh-sach-')}/",
        "/admin/documents/document/xuat/xlsx/",
        "/admin/documents/document/xuat/csv/",
        "/admin/comments/comment/xuat/xlsx/",
        "/admin/comments/comment/xuat/csv/?status__exact=pending",
        "/admin/reports/report/",
    ]


@pytest.mark.parametrize("persona", ["reporter", "moderator"])
def test_staff_without_the_permission_are_refused_everywhere(request, urls, persona):
    user = request.getfixturevalue(persona)
    client = Client()
    client.force_login(user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url


def test_an_anonymous_reader_is_sent_to_the_login_everywhere(urls):
    client = Client()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_editor_and_administrator_get_every_url(urls, editor, admin_user):
    for user in (editor, admin_user):
        client = Client()
        client.force_login(user)
        for url in urls:
            if user == admin_user and "/tep/" in url:
                continue  # the editor's own files (next test)
            response = client.get(url, follow=url.endswith("/report/"))
            # Editors have no access to reader comments at all, so none to their export.
            expected = 403 if user == editor and "/comments/" in url else 200
            assert response.status_code == expected, url
            body(response)


def test_an_export_file_belongs_to_whoever_asked_for_it(urls, admin_user):
    client = Client()
    client.force_login(admin_user)
    assert client.get(urls[3]).status_code == 404  # the editor's report file
    assert client.get("/admin/bao-cao/tep/not-a-job/").status_code == 404


def test_the_admin_index_lists_reports_for_the_editor_only(editor, reporter):
    client = Client()
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "/admin/reports/report/" in html
    client.force_login(reporter)
    assert "/admin/reports/report/" not in client.get("/admin/").content.decode()


def test_the_export_buttons_show_only_with_the_permission(editor, reporter):
    client = Client()
    client.force_login(editor)
    assert "Xuất XLSX" in client.get("/admin/news/article/").content.decode()
    client.force_login(reporter)
    assert "Xuất XLSX" not in client.get("/admin/news/article/").content.decode()


def test_only_the_administrator_and_editor_roles_hold_the_permission(editor, moderator, reporter):
    assert editor.has_perm("reports.view_reports")
    assert moderator.is_staff and not moderator.has_perm("reports.view_reports")
    assert not reporter.has_perm("reports.view_reports")
    admin_role = make_user("truongban", group="Quản trị")
    assert admin_role.has_perm("reports.view_reports")
