"""Browser-facing headers: the Content-Security-Policy and its companions on every HTML
page, and markup that the policy lets through unchanged: no inline script (other than the
admin's hashed import map), no inline style, no event-handler attribute, on any reader page
or any page of the admin. `manage.py check --deploy` is clean with production settings."""

import base64
import hashlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import Client

from portal import security
from tests.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
READER_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; "
    "frame-src https://www.youtube-nocookie.com https://www.facebook.com; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
DATA_TYPES = {'type="application/json"', 'type="application/ld+json"'}


def policy_offences(response) -> list[str]:
    """What in this page the policy would block (or what would need 'unsafe-inline')."""
    html = response.content.decode()
    header = response["Content-Security-Policy"]
    found = []
    for attrs, body in INLINE_SCRIPT.findall(html):
        attrs = " ".join(attrs.split())
        if attrs in DATA_TYPES:
            continue  # data blocks are not run
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        if attrs == 'type="importmap"' and f"'sha256-{digest}'" in header:
            continue
        found.append(f"inline script <script {attrs}>{body[:60]}")
    found += [f"<style> element: {m}" for m in STYLE_ELEMENT.findall(html)]
    found += [f"style attribute: {m[-80:]}" for m in STYLE_ATTRIBUTE.findall(html)]
    found += [f"event handler: {m[-80:]}" for m in HANDLER_ATTRIBUTE.findall(html)]
    found += [f"javascript: URL: {m}" for m in JAVASCRIPT_URL.findall(html)]
    return found


def reader():
    return Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10")


def test_reader_page_carries_the_policy_and_the_other_headers(content):
    response = reader().get("/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == READER_POLICY
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_files_and_feeds_get_no_page_policy(content):
    client = reader()
    for path in ["/robots.txt", "/rss/", content["document"].files.first().get_absolute_url()]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Content-Security-Policy" not in response, path
        assert response["X-Content-Type-Options"] == "nosniff"


def test_report_only_mode_sends_the_same_policy_under_the_other_name(content, settings):
    settings.CSP_REPORT_ONLY = True
    response = reader().get("/")
    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"] == READER_POLICY


def test_over_https_insecure_requests_are_upgraded(settings):
    assert "upgrade-insecure-requests" not in READER_POLICY
    settings.HTTPS = True
    middleware = security.ContentSecurityPolicyMiddleware(lambda request: None)
    assert middleware.reader_policy == READER_POLICY + "; upgrade-insecure-requests"


def test_reader_pages_need_no_inline_script_or_style(content):
    client = reader()
    article = content["article"]
    paths = [
        "/",
        article.get_absolute_url(),
        f"/bai-viet/{article.slug}/in/",
        content["category"].get_absolute_url(),
        content["tag"].get_absolute_url(),
        "/tim-kiem/?q=tuyen+giao",
        "/van-ban/",
        content["document"].get_absolute_url(),
        content["page"].get_absolute_url(),
        "/khong-co-trang-nay/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert response["Content-Security-Policy"] == READER_POLICY, path
        assert policy_offences(response) == [], path
    # The pages a refused post answers with.
    refused = client.post(f"/bai-viet/{article.slug}/binh-luan/", {"name": "An"})
    assert refused.status_code == 400
    assert policy_offences(refused) == []
    refused = client.post(f"/bai-viet/{article.slug}/danh-gia/", {"stars": "9"})
    assert refused.status_code == 400
    assert policy_offences(refused) == []


def _admin_pages():
    """Every changelist and add page of the admin, then the change page of a first object."""
    for model in admin.site._registry:
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        yield pytest.param(model, id=label)


@pytest.mark.parametrize("model", list(_admin_pages()))
def test_admin_pages_need_no_inline_script_or_style(admin_client, content, model):
    opts = model._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    paths = [base, base + "add/"]
    first = model._default_manager.first() if opts.managed else None  # reports.Report: no table
    if first is not None:
        paths.append(f"{base}{first.pk}/change/")
    checked = 0
    for path in paths:
        response = admin_client.get(path, follow=True)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        checked += 1
        assert "script-src 'self'" in response["Content-Security-Policy"], path
        assert "unsafe" not in response["Content-Security-Policy"], path
        assert policy_offences(response) == [], path
    assert checked >= 1


def test_admin_article_form_hashes_its_import_map(admin_client, content):
    response = admin_client.get(f"/admin/news/article/{content['article'].pk}/change/")
    maps = re.findall(r'<script type="importmap">(.*?)</script>', response.content.decode(), re.S)
    assert len(maps) == 1
    digest = base64.b64encode(hashlib.sha256(maps[0].encode()).digest()).decode()
    header = response["Content-Security-Policy"]
    assert f"script-src 'self' 'sha256-{digest}';" in header
    assert "style-src 'self' " + " ".join(security.EDITOR_STYLE_HASHES) + ";" in header


def test_staff_pages_outside_the_model_admin_need_no_inline_style(admin_client, content):
    for path in ["/admin/", "/admin/thong-ke/", "/admin/bao-cao/", "/admin/password_change/"]:
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert policy_offences(response) == [], path


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "tuyengiao.example.vn",
        "VAR_DIR": str(tmp_path),
    }
    for test_only in ("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(test_only, None)  # the browser tests set the last one for Playwright
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
