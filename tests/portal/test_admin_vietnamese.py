"""Every admin page a staff member can reach, in Vietnamese: a walk of the admin's links as
a superuser and as each staff group, failing on English left over from Django and the
libraries (a list of the words seen before the project's own translations), and the
JavaScript catalogue that the filter boxes and the body editor read."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from comments.models import Comment
from portal import roles
from tests.conftest import make_article, make_category, make_user
from tests.documents.conftest import make_document, terms  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

# English words and phrases that Django, django-axes and the editor show when nothing
# translates them, matched as whole words, case-sensitively, in what a person reads.
LEFTOVERS = [
    "Access attempts", "Access failures", "Access logs", "Access attempt", "Access log",
    "Password-based authentication", "Reset password", "Can add", "Can change",
    "Can delete", "Can view", "Show counts", "Hide counts", "Choose all", "Remove all",
    "Django administration", "Django site admin", "Select all", "View site", "Log out",
    "Change password", "Add another", "Save and", "Delete", "History", "Filter",
    "Search", "Home", "Action", "Go", "selected", "Yes", "No", "Unknown", "Today",
    "Now", "Date", "Time", "Currently", "Change", "Clear", "Username", "Password",
    "Enabled", "Disabled", "Attempt", "User agent", "IP address", "Path", "Failures",
    "Get data", "Post data", "Heading", "Paragraph", "Insert Figure", "Image URL",
    "Alternative Text", "Caption", "Insert", "Remove caption", "Raw passwords",
    "Recent actions", "My actions", "None available", "Select", "to change",
    "Permissions", "Important dates", "Personal info", "Staff status", "Superuser status",
    "Active", "Groups", "Last login", "Date joined", "First name", "Last name",
    "Email address", "Content type", "Log entry", "log entry", "of", "Choose",
]  # fmt: skip
_LEFTOVER = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, LEFTOVERS)) + r")(?![\w-])")

# Pages not to open: they end the session, or change something on GET.
SKIP = re.compile(r"/(logout|delete|password_change|xuat|keepalive|tai-ve|jsi18n)/|[?&]_to_field=")


class _Page(HTMLParser):
    """What a person reads on a page (text, titles, placeholders, button labels) and the
    admin links on it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("alt") == "Search" and tag == "img":
            # Django's search_form.html writes it untranslated; static/js/admin-vi.js
            # rewrites it (tests/browser/test_admin_phone.py sees the result).
            return
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attrs.get(name):
                self.text.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.text.append(attrs["value"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data.strip())


def walk(client: Client, *starts: str, limit=400) -> dict[str, list[str]]:
    """{path: English leftovers} for every admin page reachable from `starts` (one page
    of each list: its filters and sort orders show the same words)."""
    seen, queue, found = set(), list(starts), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        words = sorted({m for t in page.text for m in _LEFTOVER.findall(t)})
        if words:
            found[path] = words
        for href in page.links:
            url = urlsplit(urljoin(path, href))
            if url.netloc or not url.path.startswith("/admin/") or SKIP.search(href):
                continue
            if url.path not in seen:
                queue.append(url.path)
    return found


@pytest.fixture
def content(terms):  # noqa: F811 - the fixture imported above
    # What every migrate does after its last app (names the permissions in Vietnamese), on
    # a test database that may have been kept from before.
    call_command("migrate", verbosity=0)
    category = make_category("Thời sự")
    make_category("Trong tỉnh", parent=category)
    article = make_article(category=category)
    Comment.objects.create(article=article, name="Bạn đọc", body="Ý kiến của bạn đọc.")
    make_document(terms)
    return article


@pytest.mark.parametrize(
    "who", ["superuser", roles.ADMIN, roles.EDITOR, roles.REPORTER, roles.MODERATOR]
)
def test_every_admin_page_is_in_vietnamese(content, who):
    superuser = who == "superuser"
    user = make_user("nhanvien", superuser=superuser, group=None if superuser else who)
    client = Client()
    client.force_login(user)
    # The index, and the password pages (the user's own, and another's for a superuser).
    starts = ["/admin/", "/admin/password_change/", f"/admin/auth/user/{user.pk}/password/"]
    assert walk(client, *starts) == {}


# The strings the admin's and the editor's JavaScript ask gettext for.
JS_STRINGS = [
    "Choose all", "Remove all", "Choose", "Remove", "Filter", "Available %s",
    "Chosen %s", "%(sel)s of %(cnt)s selected", "Now", "Today", "Cancel",
    "Insert Figure", "Edit Figure", "Image URL", "Alternative Text", "Caption", "Insert",
    "Update", "Add caption", "Remove caption", "Edit Link", "URL", "Title",
    "Open in new window", "Toggle fullscreen", "Insert Table", "Rows", "Columns",
    "Include header row", "Table Properties", "List properties", "List type",
    "Start at", "Edit HTML", "Prettify", "Decimal numbers", "Bullets",
]  # fmt: skip


def test_the_javascript_catalogue_is_vietnamese(admin_client):
    response = admin_client.get("/admin/jsi18n/")
    assert response.status_code == 200
    body = response.content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", body, re.S)[1])
    missing = [s for s in JS_STRINGS if not catalog.get(s) or catalog[s] == s]
    assert missing == []
    assert catalog["%(sel)s of %(cnt)s selected"] == ["Đã chọn %(sel)s/%(cnt)s"] or (
        "Đã chọn" in str(catalog["%(sel)s of %(cnt)s selected"])
    )


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_catalogues_match_their_po_files(domain):
    """The .mo files are committed (make run and make test need no gettext tools): each
    must say what its .po says. After editing a .po: msgfmt -o <name>.mo <name>.po."""
    import gettext
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES"
    with (folder / f"{domain}.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    text = (folder / f"{domain}.po").read_text(encoding="utf-8")

    def joined(block: str) -> str:
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
        return "".join(parts).encode("latin-1", "backslashreplace").decode("unicode_escape")

    checked = 0
    for entry in text.split("\n\n"):
        if "msgid_plural" in entry or "msgctxt" in entry:
            continue
        found = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', entry + "\n", re.M)
        if not found or not joined(found[1]):
            continue
        msgid, msgstr = joined(found[1]), joined(found[2])
        assert catalogue.gettext(msgid) == msgstr, msgid
        checked += 1
    assert checked > 20
