"""Nothing unpublished reaches a reader. Draft, scheduled, hidden and pending articles,
draft documents and their files, held, rejected and spam comments, switched-off, expired
and future banners and hidden static pages are made; then every public URL pattern of the
site is walked with every object's slug and id, as an anonymous visitor, a logged-in reader
who is not staff and a reporter: no page, feed, sitemap, search result, tag or category
list, sidebar block, redirect or file names any of it. A reporter sees, on the public site
and through the admin, only what their role allows: their own drafts, not their editor's.

Each hidden thing carries a token (an odd word) in its title, text, file name and address;
a response is scanned, headers included, for the ways a page shows it ("Bài viết qnhapq",
"bai-viet-qnhapq", "qvbnhapq.pdf", ...; the bare token is what a search page echoes). A few
published things carry tokens too, and must be found: the walk would prove nothing if it
reached no page."""

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from comments.services import comments_recount
from documents.models import Document
from news.models import Article, Tag
from pages.models import Page
from portal import roles
from tests.banners.conftest import image_upload, make_banner
from tests.conftest import BROWSER_UA, make_article, make_category, make_user
from tests.documents.conftest import make_document
from tests.security.urlwalk import paths, patterns

pytestmark = pytest.mark.django_db

# Tokens of what must be found (published), and of what no reader may see.
SHOWN = ["qcongkhaiq", "qykduyetq", "qvbcongq", "qbnsongq", "qtrangq"]
HIDDEN_FROM_ALL = [
    "qnhapq", "qhenq", "qanq", "qchoq",  # articles: draft, scheduled, hidden, pending
    "qyknhapq",  # an approved comment, but on a draft article
    "qykchoq", "qyktuq", "qykracq",  # comments: held, rejected, spam
    "qvbnhapq",  # a draft document (and its file's name)
    "qbntatq", "qbnhetq", "qbnsapq",  # banners: switched off, expired, not yet started
    "qtranganq",  # a hidden static page
]  # fmt: skip
REPORTERS_OWN = ["qcuatoiq", "qvbcuatoiq"]  # the reporter's own pending article and draft
EDITORS_ARTICLES = ["qnhapq", "qhenq", "qanq", "qchoq"]
# How a page shows a token: after the words the fixture puts before it, in a slug, a file
# name or an address.
SHOWN_AS = [
    "bài viết ", "tóm tắt ", "nội dung ", "ý kiến ", "bạn đọc ", "văn bản ", "liên kết ",
    "trang ", "giới thiệu ", "ẩn ", "bai-viet-", "van-ban-", "trang-", "-hd/", "-hd-", "https://",
]  # fmt: skip


def marks(token: str) -> list[str]:
    return [prefix + token for prefix in SHOWN_AS] + [f"{token}.pdf", f"{token}.example"]


@pytest.fixture
def world(terms):
    editor = make_user("bientap", group=roles.EDITOR)
    reporter = make_user("phongvien", group=roles.REPORTER)
    make_user("bandoc")  # a reader with an account, not staff
    now = timezone.now()
    category = make_category("Thời sự")
    tag = Tag.objects.create(name="Tuyên giáo")

    def article(token, by=None, **kwargs):
        a = make_article(
            f"Bài viết {token}", category=category, created_by=by, view_count=10_000,
            summary=f"Tóm tắt {token}", body=f"<p>Nội dung {token}</p>", **kwargs,
        )  # fmt: skip
        a.tags.add(tag)
        return a

    public = article("qcongkhaiq", publish_at=now - timedelta(days=2))
    article("qnhapq", editor, status=Article.Status.DRAFT)
    article("qhenq", editor, publish_at=now + timedelta(days=1))
    article("qanq", editor, status=Article.Status.HIDDEN)
    article("qchoq", editor, status=Article.Status.PENDING)
    article("qcuatoiq", reporter, status=Article.Status.PENDING)
    draft = Article.objects.get(title__contains="qnhapq")

    def comment(on, token, status):
        Comment.objects.create(
            article=on, name=f"Bạn đọc {token}", email="a@example.vn",
            body=f"Ý kiến {token}", status=status,
        )  # fmt: skip

    comment(public, "qykduyetq", Comment.Status.APPROVED)
    comment(draft, "qyknhapq", Comment.Status.APPROVED)
    comment(public, "qykchoq", Comment.Status.PENDING)
    comment(public, "qyktuq", Comment.Status.REJECTED)
    comment(public, "qykracq", Comment.Status.SPAM)
    comments_recount(article_ids=[public.pk, draft.pk])

    make_document(terms, "Văn bản qvbcongq", code="1-HD/QVBCONGQ", file_name="qvbcongq.pdf")
    for token, by in (("qvbnhapq", editor), ("qvbcuatoiq", reporter)):
        make_document(
            terms, f"Văn bản {token}", code=f"2-HD/{token.upper()}", file_name=f"{token}.pdf",
            status=Document.Status.DRAFT, created_by=by, issued_on=now.date(),
        )  # fmt: skip

    make_banner("Liên kết qbnsongq", url="https://qbnsongq.example.vn/")
    make_banner("Liên kết qbntatq", url="https://qbntatq.example.vn/", is_active=False)
    make_banner(
        "Liên kết qbnhetq", url="https://qbnhetq.example.vn/", image=image_upload(),
        start_at=now - timedelta(days=9), end_at=now - timedelta(days=1),
    )  # fmt: skip
    make_banner(
        "Liên kết qbnsapq", url="https://qbnsapq.example.vn/", start_at=now + timedelta(days=1)
    )

    Page.objects.create(title="Trang qtrangq", body="<p>Giới thiệu qtrangq</p>")
    Page.objects.create(title="Trang qtranganq", body="<p>Ẩn qtranganq</p>", is_published=False)
    return {"editor": editor, "reporter": reporter, "category": category, "tag": tag}


def public_paths(world) -> list[str]:
    from banners.models import Banner
    from documents.models import DocumentFile
    from news.models import Category

    slugs = [
        *Article.objects.values_list("slug", flat=True),
        *Document.objects.values_list("slug", flat=True),
        *Page.objects.values_list("slug", flat=True),
        *Category.objects.values_list("slug", flat=True),
        *Tag.objects.values_list("slug", flat=True),
    ]
    pks = [
        *Banner.objects.values_list("pk", flat=True),
        *DocumentFile.objects.values_list("pk", flat=True),
    ]
    values = {
        "slug": slugs,
        "pk": [str(pk) for pk in pks],
        "section": ["articles", "categories", "documents"],
        "*": ["x"],
    }
    found = []
    for name, params, _sample in patterns():
        if name.split(":")[0] in ("admin", "stats", "reports") or name.startswith("/admin"):
            continue  # the staff side: walked by test_reporter_sees_through_the_admin_only_...
        found += paths(name, params, values)
    # Searches for every token, and the list pages with filters.
    for token in SHOWN + HIDDEN_FROM_ALL + REPORTERS_OWN:
        found += [f"/tim-kiem/?q={token}", f"/van-ban/?q={token}"]
    found += ["/?page=2", "/van-ban/?page=1", f"/the/{world['tag'].slug}/?page=1"]
    return found


def leaks(client, urls, forbidden) -> tuple[list, set]:
    """(what a response showed that it must not, the tokens that were shown)."""
    found, seen = [], set()
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        if response.get("Content-Type", "").startswith("application/json"):
            text = json.dumps(json.loads(text), ensure_ascii=False)  # "B\u00e0i" -> "Bài"
        text = (text + str(dict(response.headers))).lower()
        seen.update(t for t in SHOWN if any(m in text for m in marks(t)))
        found += [
            (url, response.status_code, t) for t in forbidden if any(m in text for m in marks(t))
        ]
    return found, seen


def test_nothing_unpublished_reaches_a_reader(world):
    urls = public_paths(world)
    assert len(urls) > 150
    reporter = Client(HTTP_USER_AGENT=BROWSER_UA)
    reporter.force_login(world["reporter"])
    reader = Client(HTTP_USER_AGENT=BROWSER_UA)
    reader.force_login(make_user_if_missing("bandoc"))
    anonymous = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10")
    # The reporter first: a preview they are shown must not be kept for the others. (Their
    # editor's articles: see test_reporter_cannot_preview_an_editors_article.)
    for client, allowed in (
        (reporter, REPORTERS_OWN + EDITORS_ARTICLES),
        (reader, []),
        (anonymous, []),
    ):
        forbidden = [t for t in HIDDEN_FROM_ALL + REPORTERS_OWN if t not in allowed]
        found, seen = leaks(client, urls, forbidden)
        assert found == [], "\n".join(map(str, found))
        assert seen == set(SHOWN)  # the walk did reach the published things
    # Twice as anonymous: once rendered, once from the page cache.
    found, _ = leaks(anonymous, urls, HIDDEN_FROM_ALL + REPORTERS_OWN)
    assert found == [], "\n".join(map(str, found))


def test_reporter_cannot_preview_an_editors_article(world):
    reporter = Client(HTTP_USER_AGENT=BROWSER_UA)
    reporter.force_login(world["reporter"])
    found = []
    for article in Article.objects.exclude(created_by=world["reporter"]).exclude(
        title__contains="qcongkhaiq"
    ):
        for url in (article.get_absolute_url(), f"/bai-viet/{article.slug}/in/"):
            response = reporter.get(url)
            if response.status_code != 404:
                found.append((url, response.status_code))
    assert found == []
    assert reporter.get("/bai-viet/bai-viet-qcuatoiq/").status_code == 200  # their own


def make_user_if_missing(username):
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


def test_files_of_draft_documents_are_not_served(world):
    from documents.models import DocumentFile

    reporter = Client(HTTP_USER_AGENT=BROWSER_UA)
    reporter.force_login(world["reporter"])
    anonymous = Client(HTTP_USER_AGENT=BROWSER_UA)
    for doc_file in DocumentFile.objects.select_related("document"):
        token = doc_file.original_name.removesuffix(".pdf")
        for url in (doc_file.get_absolute_url(), doc_file.get_view_url()):
            shown = anonymous.get(url).status_code
            assert shown == (200 if token in SHOWN else 404), url
            own = token in SHOWN or token in REPORTERS_OWN
            assert reporter.get(url).status_code == (200 if own else 404), url


def test_reporter_sees_through_the_admin_only_what_their_role_allows(world):
    reporter = Client(HTTP_USER_AGENT=BROWSER_UA)
    reporter.force_login(world["reporter"])
    urls = ["/admin/"]
    for model in (Article, Document, Comment, Page):
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        urls += [base, base + "?q=q", base + "?all=&status__exact=draft"]
        content_type = ContentType.objects.get_for_model(model).pk
        for pk in model.objects.values_list("pk", flat=True):
            urls += [f"{base}{pk}/change/", f"{base}{pk}/history/", f"{base}{pk}/delete/"]
            urls.append(f"/admin/r/{content_type}/{pk}/")  # "Xem trên trang"
    for field in ("related", "replaces"):
        urls.append(
            f"/admin/autocomplete/?app_label=documents&model_name=document&field_name={field}&term=q"
        )
    urls.append("/admin/autocomplete/?app_label=news&model_name=article&field_name=tags&term=q")
    found, _ = leaks(reporter, urls, HIDDEN_FROM_ALL)
    assert found == [], "\n".join(map(str, found))
    # Their own work is there.
    own = reporter.get("/admin/news/article/").content.decode()
    assert "qcuatoiq" in own
    own = reporter.get("/admin/documents/document/").content.decode()
    assert "qvbcuatoiq" in own and "qvbcongq" in own
    # "Xem trên trang" still takes an editor to any article, a reporter to their own.
    content_type = ContentType.objects.get_for_model(Article).pk
    draft = Article.objects.get(title__contains="qnhapq")
    mine = Article.objects.get(title__contains="qcuatoiq")
    editor = Client(HTTP_USER_AGENT=BROWSER_UA)
    editor.force_login(world["editor"])
    response = editor.get(f"/admin/r/{content_type}/{draft.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(draft.get_absolute_url())
    assert reporter.get(f"/admin/r/{content_type}/{draft.pk}/").status_code == 404
    response = reporter.get(f"/admin/r/{content_type}/{mine.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(mine.get_absolute_url())
