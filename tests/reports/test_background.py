"""A report too big to finish within the wait is built in a thread: the request answers a
page that reloads itself, and the same address then gives the file."""

import time

import pytest
from django.test import Client

from tests.conftest import make_article
from tests.reports.conftest import body, read_xlsx


@pytest.mark.django_db(transaction=True)  # the thread has its own connection
def test_a_slow_export_answers_a_waiting_page_then_the_file(settings, editor):
    settings.EXPORTS_BACKGROUND = True
    settings.EXPORTS_WAIT_SECONDS = 0
    make_article("Bài chờ xuất")
    client = Client()
    client.force_login(editor)
    response = client.get("/admin/news/article/xuat/xlsx/")
    assert response.status_code == 202
    html = response.content.decode()
    assert "đang được lập" in html
    status_url = response.context["status_url"]
    assert f'content="3;url={status_url}"' in html
    for _ in range(100):
        response = client.get(status_url)
        if response.status_code == 200:
            break
        time.sleep(0.1)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheets, _ = read_xlsx(body(response))
    assert sheets["Bài viết"][2][0] == "Bài chờ xuất"
