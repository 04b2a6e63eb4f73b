"""Browser family, operating system and device type from a user agent, for the dashboard.

Deliberately small: a handful of families readers here actually use (Cốc Cốc, Zalo and
Facebook's in-app browsers included), everything else is "other". The order of the
checks matters: most browsers also say "Chrome" or "Safari".
"""

import re
from functools import lru_cache

OTHER = "other"
PHONE, TABLET, DESKTOP = "phone", "tablet", "desktop"
DEVICE_LABELS = {PHONE: "Điện thoại", TABLET: "Máy tính bảng", DESKTOP: "Máy tính"}

_BROWSERS = [
    ("Cốc Cốc", re.compile(r"coc_coc_browser|coccocbrowser", re.I)),
    ("Zalo", re.compile(r"\bZalo", re.I)),
    ("Facebook", re.compile(r"FBAN|FBAV|FB_IAB|\[FB", re.I)),
    ("Edge", re.compile(r"Edg(e|A|iOS)?/")),
    ("Opera", re.compile(r"OPR/|Opera|OPX/|OPT/")),
    ("Samsung Internet", re.compile(r"SamsungBrowser")),
    ("UC Browser", re.compile(r"UCBrowser|UCWEB")),
    ("Yandex", re.compile(r"YaBrowser")),
    ("Firefox", re.compile(r"Firefox/|FxiOS/")),
    ("Chrome", re.compile(r"Chrome/|CriOS/|Chromium/")),
    ("Safari", re.compile(r"Version/[\d.]+.*Safari/|iPhone|iPad")),
    ("Internet Explorer", re.compile(r"MSIE |Trident/")),
]
_SYSTEMS = [
    ("Windows Phone", re.compile(r"Windows Phone")),
    ("Windows", re.compile(r"Windows")),
    ("iPadOS", re.compile(r"iPad")),
    ("iOS", re.compile(r"iPhone|iPod")),
    ("Android", re.compile(r"Android")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("Linux", re.compile(r"Linux|X11")),
]
_TABLET = re.compile(r"iPad|Tablet|Kindle|Silk/|PlayBook", re.I)
_PHONE = re.compile(r"Mobi|iPhone|iPod|Windows Phone|Android", re.I)


@lru_cache(maxsize=4096)
def parse(user_agent: str) -> tuple[str, str, str]:
    """(browser, os, device) for one user agent; user agents repeat, so it is cached."""
    browser = next((name for name, rx in _BROWSERS if rx.search(user_agent)), OTHER)
    system = next((name for name, rx in _SYSTEMS if rx.search(user_agent)), OTHER)
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
