"""Helpers of the visit-statistics tests: readers with their own address and browser, a
clock the tests can move, and the flush."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from stats import counting

HCM = ZoneInfo("Asia/Ho_Chi_Minh")

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
WINDOWS_COCCOC = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "coc_coc_browser/117.0.166 Chrome/111.0.0.0 Safari/537.36"
)
IPAD_SAFARI = (
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
)


def reader(ip="203.113.1.10", ua=ANDROID_CHROME, **headers) -> Client:
    """A reader's browser: its own address and user agent."""
    return Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip, **headers)


def flush() -> int:
    return counting.buffer.flush()


class Clock:
    """counting.now() under the test's control (local time of Asia/Ho_Chi_Minh)."""

    def __init__(self, monkeypatch):
        self.now = datetime(2026, 3, 10, 9, 0, tzinfo=HCM)
        monkeypatch.setattr(counting, "now", lambda: self.now)

    def set(self, *args) -> datetime:
        self.now = datetime(*args, tzinfo=HCM)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)
