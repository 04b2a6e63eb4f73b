"""Browser family, operating system and device type from a user agent, for the dashboard.

Parsing is ua-parser's (the maintained uap-core rules). Its families are folded into the few
names the dashboard shows (one "Chrome" for desktop, mobile and iOS Chrome), and two local
rules add what it does not know: Cốc Cốc on iPhone and Zalo's in-app browser, both common
here. ua-parser names a device model but not its kind, so phone / tablet / desktop stays a
small local rule.
"""

import re
from functools import lru_cache

import ua_parser

OTHER = "other"
PHONE, TABLET, DESKTOP = "phone", "tablet", "desktop"
DEVICE_LABELS = {PHONE: "Điện thoại", TABLET: "Máy tính bảng", DESKTOP: "Máy tính"}

# Checked before ua-parser: in-app and local browsers it reports as the engine underneath.
_LOCAL_BROWSERS = [
    ("Cốc Cốc", re.compile(r"coc_?coc_?browser", re.I)),
    ("Zalo", re.compile(r"\bZalo", re.I)),
]
_BROWSER_NAMES = {
    "Coc Coc": "Cốc Cốc",
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "Chrome",
    "Chromium": "Chrome",
    "HeadlessChrome": "Chrome",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "Safari",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Edge Mobile": "Edge",
    "Opera Mobile": "Opera",
    "Opera Mini": "Opera",
    "Yandex Browser": "Yandex",
    "IE": "Internet Explorer",
    "IE Mobile": "Internet Explorer",
    "Facebook": "Facebook",
    "Samsung Internet": "Samsung Internet",
    "UC Browser": "UC Browser",
}
_SYSTEM_NAMES = {
    "Mac OS X": "macOS",
    "Chrome OS": "ChromeOS",
    "Ubuntu": "Linux",
    "Fedora": "Linux",
    "Debian": "Linux",
}
_TABLET = re.compile(r"iPad|Tablet|Kindle|Silk/|PlayBook", re.I)
_PHONE = re.compile(r"Mobi|iPhone|iPod|Windows Phone|Android", re.I)


@lru_cache(maxsize=4096)
def parse(user_agent: str) -> tuple[str, str, str]:
    """(browser, os, device) for one user agent; user agents repeat, so it is cached."""
    result = ua_parser.parse(user_agent)
    browser = next((name for name, rx in _LOCAL_BROWSERS if rx.search(user_agent)), None)
    if browser is None:
        family = result.user_agent.family if result.user_agent else "Other"
        browser = OTHER if family == "Other" else _BROWSER_NAMES.get(family, family)
    family = result.os.family if result.os else "Other"
    system = OTHER if family == "Other" else _SYSTEM_NAMES.get(family, family)
    if system == "iOS" and "iPad" in user_agent:
        system = "iPadOS"
    if _TABLET.search(user_agent) or ("Android" in user_agent and "Mobile" not in user_agent):
        device = TABLET
    elif _PHONE.search(user_agent):
        device = PHONE
    else:
        device = DESKTOP
    return browser, system, device


def label(dimension: str, value: str) -> str:
    """What the dashboard shows for a stored value."""
    if value == OTHER:
        return "Khác"
    if dimension == "device":
        return DEVICE_LABELS.get(value, value)
    return value
