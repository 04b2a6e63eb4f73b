"""Exports are built by the task worker (`manage.py db_worker`), never in a web worker: the
request answers a page that reloads itself, and the same address then gives the file."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import make_article
from tests.reports.conftest import body, read_csv, read_xlsx

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROOT = Path(__file__).resolve().parents[2]
# The worker is its own process, as in production: it sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker(settings):
    """`manage.py db_worker --batch` on the test database: every queued task, then exit."""
    db = connection.settings_dict
    # The host may be the embedded server's socket folder (make test): a path, quoted.
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    url = f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@{host}{port}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "EXPORTS_DIR": str(settings.EXPORTS_DIR)}
    done = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture
def queued(settings):
    settings.TASKS = DATABASE_TASKS
    settings.EXPORTS_WAIT_SECONDS = 0


def test_a_changelist_export_waits_for_the_worker_then_gives_the_file(queued, settings, editor):
    make_article("Bài chờ xuất")
    client = Client()
    client.force_login(editor)
    response = client.get("/admin/news/article/xuat/xlsx/?q=chờ")
    assert response.status_code == 202
    html = response.content.decode()
    assert "đang được lập" in html
    status_url = response.context["status_url"]
    assert f'content="3;url={status_url}"' in html
    # No web worker builds it: until the task worker runs, the page keeps waiting.
    assert client.get(status_url).status_code == 202

    run_worker(settings)

    response = client.get(status_url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheets, _ = read_xlsx(body(response))
    # The search was kept: one row, then the totals row.
    assert [row[0] for row in sheets["Bài viết"][2:]] == ["Bài chờ xuất", "Tổng cộng (1 dòng)"]


def test_a_report_is_built_by_the_worker_with_the_form_it_was_asked_with(queued, settings, editor):
    make_article("Bài trong báo cáo")
    client = Client()
    client.force_login(editor)
    response = client.get(
        "/admin/bao-cao/tai-ve/",
        {"bao_cao": "bai-viet", "ky": "nam", "nam": time.localtime().tm_year, "dinh_dang": "csv"},
    )
    assert response.status_code == 202, response.content.decode()[:500]
    run_worker(settings)
    response = client.get(response.context["status_url"])
    assert response.status_code == 200
    assert "Bài trong báo cáo" in str(read_csv(body(response)))


def test_a_job_no_worker_took_says_so_after_a_minute(queued, editor):
    client = Client()
    client.force_login(editor)
    response = client.get("/admin/news/article/xuat/csv/")
    status_url = response.context["status_url"]
    folder = response.context["export"].folder
    old = time.time() - 120
    os.utime(folder, (old, old))
    html = client.get(status_url).content.decode()
    assert "manage.py db_worker" in html
    assert "chưa chạy" in html


def test_the_task_queue_has_no_english_admin_page_for_staff(admin_user):
    client = Client()
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert "task result" not in html.lower()
    assert client.get("/admin/django_tasks_db/dbtaskresult/").status_code == 404
