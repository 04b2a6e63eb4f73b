"""Reports fixtures: the personas of the access tests, export folders of the test's own,
files read back. Exports are built inside the request (tests/conftest.py: immediate tasks)."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from portal import roles
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _export_settings(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.SITE_URL = "https://tuyengiao.example.vn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The personas' passwords are never checked here (force_login): skip the slow hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def moderator(db):
    Group.objects.get_or_create(name=roles.MODERATOR)
    return make_user("kiemduyet", group=roles.MODERATOR)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_xlsx(data: bytes):
    """{sheet name: rows as lists of values} and the workbook (for styles)."""
    workbook = load_workbook(io.BytesIO(data))
    sheets = {
        ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
        for ws in workbook.worksheets
    }
    return sheets, workbook


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with the UTF-8 BOM"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
