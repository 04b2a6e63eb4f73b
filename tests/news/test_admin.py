"""The newsroom workflow through the real admin: what a reporter may do, what an editor may
do, and what the admin stores (sanitised body, slug, renditions)."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F
from django.db.models.signals import pre_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from news.models import Article, Category, Tag
from tests.conftest import BROWSER_UA, make_article, make_category

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:news_article_add")
CHANGELIST_URL = reverse("admin:news_article_changelist")


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


@pytest.fixture
def category():
    return make_category("Thời sự")


@pytest.fixture
def public():
    """An anonymous reader, apart from the staff member's logged-in client."""
    return Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10")


def form_data(category, **overrides):
    """What the add/change form posts (publish time one minute ago, vi date format)."""
    when = timezone.localtime() - timedelta(minutes=1)
    data = {
        "title": "Đại hội Đảng bộ tỉnh lần thứ XII",
        "slug": "",
        "summary": "Tóm tắt",
        "body": "<p>Nội dung bài viết.</p>",
        "image_caption": "",
        "category": category.pk,
        "status": Article.Status.DRAFT,
        "publish_at_0": when.strftime("%d/%m/%Y"),
        "publish_at_1": when.strftime("%H:%M:%S"),
        "allow_comments": "on",
        "allow_rating": "on",
        "author": "",
        "source_name": "",
        "source_url": "",
        "_save": "Lưu lại",
    }
    data.update(overrides)
    return data


def image_file(name="anh.png", fmt="PNG", size=(1600, 900)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def errors_of(response):
    form = response.context["adminform"].form
    return {name: " ".join(errs) for name, errs in form.errors.items()}


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Reporter


def test_reporter_adds_a_draft_owned_by_them(client, reporter, category):
    client.force_login(reporter)
    response = client.post(ADD_URL, form_data(category, status=Article.Status.PENDING))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.PENDING
    assert article.created_by == reporter
    assert article.slug == "dai-hoi-dang-bo-tinh-lan-thu-xii"


def test_reporter_is_offered_only_draft_and_pending(client, reporter):
    client.force_login(reporter)
    html = client.get(ADD_URL).content.decode()
    assert 'value="draft"' in html and 'value="pending"' in html
    assert 'value="published"' not in html and 'value="hidden"' not in html


@pytest.mark.parametrize("status", [Article.Status.PUBLISHED, Article.Status.HIDDEN])
def test_reporter_cannot_publish_or_hide_with_a_crafted_form(client, reporter, category, status):
    client.force_login(reporter)
    response = client.post(ADD_URL, form_data(category, status=status))
    assert response.status_code == 200
    assert "Bạn không có quyền chọn trạng thái này." in errors_of(response)["status"]
    assert not Article.objects.exists()

    own = make_article("Bài nháp của tôi", status=Article.Status.DRAFT, created_by=reporter)
    response = client.post(change_url(own), form_data(category, title=own.title, status=status))
    assert response.status_code == 200
    assert "status" in errors_of(response)
    own.refresh_from_db()
    assert own.status == Article.Status.DRAFT


def test_reporter_sees_only_their_own_articles(client, reporter, editor, category):
    make_article("Bài của phóng viên", created_by=reporter, status=Article.Status.DRAFT)
    make_article("Bài của biên tập viên", created_by=editor)
    client.force_login(reporter)
    html = client.get(CHANGELIST_URL).content.decode()
    assert "Bài của phóng viên" in html
    assert "Bài của biên tập viên" not in html


def test_reporter_cannot_open_or_change_someone_elses_article(client, reporter, editor, category):
    other = make_article("Bài của người khác", created_by=editor, status=Article.Status.DRAFT)
    client.force_login(reporter)
    response = client.post(change_url(other), form_data(category, title="Sửa trộm"))
    # The admin answers "does not exist" (it is outside the reporter's list) and redirects.
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.title == "Bài của người khác"


def test_reporter_cannot_edit_their_own_published_article(client, reporter, category):
    published = make_article("Bài đã đăng", created_by=reporter)
    client.force_login(reporter)
    response = client.get(change_url(published))
    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()  # read-only view
    response = client.post(
        change_url(published),
        form_data(category, title="Sửa sau khi đăng", status=Article.Status.DRAFT),
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title == "Bài đã đăng"
    assert published.status == Article.Status.PUBLISHED


@pytest.mark.parametrize("action", ["publish_now", "hide"])
def test_reporter_cannot_publish_or_hide_with_bulk_actions(client, reporter, action):
    draft = make_article("Bài nháp", created_by=reporter, status=Article.Status.PENDING)
    client.force_login(reporter)
    assert f'value="{action}"' not in client.get(CHANGELIST_URL).content.decode()
    response = client.post(
        CHANGELIST_URL, {"action": action, "_selected_action": [draft.pk], "index": 0}
    )
    assert response.status_code == 302
    assert "Không có hoạt động nào được lựa chọn." in message_texts(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PENDING


def test_reporter_cannot_bulk_delete_their_published_article(client, reporter):
    published = make_article("Bài đã đăng", created_by=reporter)
    client.force_login(reporter)
    response = client.post(
        CHANGELIST_URL,
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Article.objects.filter(pk=published.pk).exists()


def test_reporter_may_submit_drafts_for_review(client, reporter):
    draft = make_article("Bài nháp", created_by=reporter, status=Article.Status.DRAFT)
    client.force_login(reporter)
    client.post(CHANGELIST_URL, {"action": "submit_for_review", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.PENDING


# Editor


def test_editor_publishes_an_article_readers_can_open(client, public, editor, category):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(category, status=Article.Status.PUBLISHED))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.created_by == editor
    assert public.get(article.get_absolute_url()).status_code == 200


def test_publish_time_is_read_day_first(client, editor, category):
    client.force_login(editor)
    client.post(
        ADD_URL,
        form_data(category, publish_at_0="05/03/2026", publish_at_1="08:30"),
    )
    publish_at = timezone.localtime(Article.objects.get().publish_at)
    assert (publish_at.day, publish_at.month, publish_at.hour) == (5, 3, 8)
    # The form shows it back the same way.
    html = client.get(change_url(Article.objects.get())).content.decode()
    assert 'value="05/03/2026"' in html


def test_editor_schedules_an_article(client, public, editor, category):
    client.force_login(editor)
    later = timezone.localtime() + timedelta(hours=2)
    response = client.post(
        ADD_URL,
        form_data(
            category,
            status=Article.Status.PUBLISHED,
            publish_at_0=later.strftime("%d/%m/%Y"),
            publish_at_1=later.strftime("%H:%M:%S"),
        ),
        follow=True,
    )
    assert any("hẹn xuất bản" in m for m in message_texts(response))
    article = Article.objects.get()
    assert public.get(article.get_absolute_url()).status_code == 404
    assert article.title not in public.get("/").content.decode()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert public.get(article.get_absolute_url()).status_code == 200


def test_editor_hides_an_article_through_the_form(client, public, editor, category):
    article = make_article("Bài sẽ ẩn", category=category)
    client.force_login(editor)
    response = client.post(
        change_url(article),
        form_data(category, title=article.title, slug=article.slug, status="hidden"),
    )
    assert response.status_code == 302
    assert public.get(article.get_absolute_url()).status_code == 404


def test_editor_bulk_publishes_and_hides(client, public, editor, category):
    created = timezone.now() - timedelta(days=3)
    draft = make_article("Bài chờ duyệt", status=Article.Status.PENDING, publish_at=created)
    scheduled = make_article("Bài hẹn giờ", publish_at=timezone.now() + timedelta(days=1))
    client.force_login(editor)
    response = client.post(
        CHANGELIST_URL,
        {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk]},
        follow=True,
    )
    assert "Đã xuất bản 2 bài viết." in message_texts(response)
    for article in (draft, scheduled):
        article.refresh_from_db()
        assert article.is_public
        # Goes out now, at the top of the lists, not three days down.
        assert timezone.now() - article.publish_at < timedelta(minutes=1)
        assert public.get(article.get_absolute_url()).status_code == 200

    response = client.post(
        CHANGELIST_URL, {"action": "hide", "_selected_action": [draft.pk]}, follow=True
    )
    assert "Đã ẩn 1 bài viết." in message_texts(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.HIDDEN
    assert public.get(draft.get_absolute_url()).status_code == 404


def test_republishing_a_hidden_article_keeps_its_date(client, editor):
    then = timezone.now() - timedelta(days=10)
    hidden = make_article("Bài đã ẩn", status=Article.Status.HIDDEN, publish_at=then)
    client.force_login(editor)
    client.post(CHANGELIST_URL, {"action": "publish_now", "_selected_action": [hidden.pk]})
    hidden.refresh_from_db()
    assert hidden.status == Article.Status.PUBLISHED
    assert hidden.publish_at == then


def test_slug_is_made_from_the_vietnamese_title_when_blank(client, editor, category):
    client.force_login(editor)
    client.post(ADD_URL, form_data(category, title="Đà Nẵng đón khách"))
    client.post(ADD_URL, form_data(category, title="Đà Nẵng đón khách"))
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["da-nang-don-khach", "da-nang-don-khach-2"]
    # The browser-side slug script (which writes "đ" as "dj") is not on the form.
    assert 'data-prepopulated-fields="[]"' in client.get(ADD_URL).content.decode()


def test_category_and_tag_slugs_are_made_from_the_name(client, editor, category):
    client.force_login(editor)
    client.post(
        reverse("admin:news_category_add"),
        {"name": "Xây dựng Đảng", "slug": "", "order": 0, "show_in_menu": "on"},
    )
    client.post(reverse("admin:news_tag_add"), {"name": "Đổi mới", "slug": ""})
    assert Category.objects.get(name="Xây dựng Đảng").slug == "xay-dung-dang"
    assert Tag.objects.get().slug == "doi-moi"
    # A second tag with the same slug is refused with a message, not a crash.
    response = client.post(reverse("admin:news_tag_add"), {"name": "đổi mới", "slug": ""})
    assert response.status_code == 200
    assert "slug" in errors_of(response)


def test_body_is_sanitised_on_save(client, editor, category):
    dirty = (
        '<p style="color:red" onclick="steal()">Chào <script>alert(1)</script>bạn</p>'
        '<p><a href="javascript:alert(1)">xấu</a> <a href="https://example.vn/">tốt</a></p>'
        '<img src="x" onerror="alert(1)">'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        '<iframe src="https://evil.example/"></iframe>'
        '<figure><img src="/media/body/a.jpg" alt="Ảnh"><figcaption>Chú thích</figcaption></figure>'
    )
    client.force_login(editor)
    client.post(ADD_URL, form_data(category, body=dirty))
    body = Article.objects.get().body
    for bad in ("<script", "alert(1)", "onerror", "onclick", "style=", "javascript:", "data:", "iframe", "evil.example"):  # fmt: skip
        assert bad not in body
    assert "Chào" in body and "bạn" in body
    assert 'href="https://example.vn/"' in body
    assert '<img src="/media/body/a.jpg" alt="Ảnh">' in body
    assert "<figcaption>Chú thích</figcaption>" in body


def test_featured_image_upload_makes_renditions(client, editor, category):
    client.force_login(editor)
    response = client.post(
        ADD_URL,
        form_data(category, image=image_file("Ảnh gốc của tôi.PNG"), image_caption="Hội nghị"),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.image.name.endswith(".png")
    assert "Ảnh gốc" not in article.image.name
    assert article.image_thumb and article.image_large
    assert article.image_thumb.storage.exists(article.image_thumb.name)
    with Image.open(article.image_large.path) as large:
        assert large.width == 1200
    with Image.open(article.image_thumb.path) as thumb:
        assert thumb.size == (480, 300)


def test_forged_featured_image_is_refused(client, editor, category):
    client.force_login(editor)
    forged = SimpleUploadedFile(
        "anh.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    response = client.post(ADD_URL, form_data(category, image=forged))
    assert response.status_code == 200
    assert "hình ảnh hợp lệ" in errors_of(response)["image"]
    assert not Article.objects.exists()


def test_saving_the_form_keeps_views_counted_meanwhile(client, editor, category):
    article = make_article("Bài đang được đọc", category=category)
    client.force_login(editor)

    def counts_flushed_meanwhile(sender, instance, **kwargs):
        # What stats does between the admin loading the article and saving it.
        Article.objects.filter(pk=instance.pk).update(view_count=F("view_count") + 7)

    pre_save.connect(counts_flushed_meanwhile, sender=Article)
    try:
        client.post(
            change_url(article),
            form_data(category, title="Tiêu đề mới", slug=article.slug, status="published"),
        )
    finally:
        pre_save.disconnect(counts_flushed_meanwhile, sender=Article)
    article.refresh_from_db()
    assert article.title == "Tiêu đề mới"
    assert article.view_count == 7


def test_body_editor_carries_the_image_upload_control(client, editor):
    client.force_login(editor)
    html = client.get(ADD_URL).content.decode()
    assert 'data-image-upload-url="/bien-tap/tai-anh/"' in html
    assert "js/body-image-upload.js" in html


# Query counts


@pytest.fixture
def sections():
    """Top-level categories with subcategories: a subcategory's name shows its parent's."""
    politics = make_category("Chính trị")
    return [make_category(f"Mục {i}", parent=politics) for i in range(3)] + [politics]


def _queries(client, url, text):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert text in response.content.decode()
    return len(ctx)


def _add_articles(sections, start, stop, **kwargs):
    for i in range(start, stop):
        make_article(f"Bài số {i}", category=sections[i % len(sections)], **kwargs)


@pytest.mark.parametrize("persona", ["editor", "reporter"])
def test_changelist_queries_do_not_grow_with_articles(
    client, request, sections, persona, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    _add_articles(sections, 0, 5, created_by=user, status=Article.Status.DRAFT)
    client.force_login(user)
    client.get(CHANGELIST_URL)  # site-wide blocks are cached from the first page on
    # session; user; user and group permissions; category filter (with parents); count;
    # page of articles (with category and parent); date hierarchy range and days; plus the
    # site's own per-request queries (session refresh, site settings): fixed for any n.
    with django_assert_max_num_queries(14):
        few = _queries(client, CHANGELIST_URL, "Chính trị › Mục 1")
    _add_articles(sections, 5, 50, created_by=user, status=Article.Status.DRAFT)
    assert _queries(client, CHANGELIST_URL, "Bài số 49") == few


def test_change_form_queries_do_not_grow_with_categories(client, editor, sections):
    article = make_article(category=sections[0])
    client.force_login(editor)
    client.get(change_url(article))
    few = _queries(client, change_url(article), "Chính trị › Mục 1")
    for i in range(3, 20):
        make_category(f"Mục {i}", parent=sections[-1])
    assert _queries(client, change_url(article), "Chính trị › Mục 19") == few


def test_the_article_list_groups_view_counts_the_vietnamese_way(client, editor):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(view_count=1462)
    client.force_login(editor)
    html = client.get("/admin/news/article/").content.decode()
    assert '<td class="field-views">1.462</td>' in html
    change = client.get(f"/admin/news/article/{article.pk}/change/").content.decode()
    assert "1.462" in change


def option_texts(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)[1]
    return [
        re.sub(r"<[^>]+>", "", o).strip()
        for o in re.findall(r"<option[^>]*>.*?</option>", select, re.S)
    ]


def test_category_pickers_list_each_section_followed_by_its_subsections(client, editor):
    tin = make_category("Tin tức", order=1)
    make_category("Văn hóa", order=2)
    make_category("Kinh tế", parent=tin, order=2)
    make_category("Chính trị", parent=tin, order=1)
    client.force_login(editor)
    html = client.get("/admin/news/article/add/").content.decode()
    expected = ["Tin tức", "Tin tức › Chính trị", "Tin tức › Kinh tế", "Văn hóa"]
    assert option_texts(html, "category")[1:] == expected  # after the empty choice
    assert option_texts(html, "extra_categories") == expected
    report = client.get("/admin/bao-cao/").content.decode()
    assert option_texts(report, "chuyen_muc")[1:] == expected


def test_admin_lists_write_dates_day_first(client, editor):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.make_aware(timezone.datetime(2026, 12, 5, 13, 36))
    )
    client.force_login(editor)
    html = client.get("/admin/news/article/").content.decode()
    assert "05/12/2026 13:36" in html
    assert "13:36 05/12/2026" not in html
