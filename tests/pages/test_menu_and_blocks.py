"""The staff-edited main menu (two levels, links to categories, pages, topics, documents or
any address) and free-content blocks (sanitised rich text or a linked image) in named
positions: visible at once after a change, no query per page once warm."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from news.models import Topic
from pages.models import FreeBlock, MenuItem, Page
from tests.conftest import make_article, make_category, make_user

pytestmark = pytest.mark.django_db


def header(html: str) -> str:
    start = html.index('<nav class="menu"')
    return html[start : html.index("</nav>", start)]


def test_without_menu_items_the_header_lists_the_menu_categories(reader_client):
    make_category("Tin tức - Sự kiện")
    assert "Tin tức - Sự kiện" in header(reader_client.get("/").content.decode())


def test_menu_of_two_levels_links_each_kind_of_target(reader_client):
    category = make_category("Xây dựng Đảng")
    page = Page.objects.create(title="Giới thiệu", body="<p>Ban.</p>")
    topic = Topic.objects.create(title="Đại hội Đảng bộ tỉnh")
    about = MenuItem.objects.create(title="Giới thiệu", page=page, order=1)
    MenuItem.objects.create(title="Đại hội", topic=topic, parent=about, order=1)
    MenuItem.objects.create(title="Đảng bộ", category=category, order=2)
    MenuItem.objects.create(title="Lịch làm việc", url="/lich-cong-tac/", order=3)
    MenuItem.objects.create(title="Ẩn đi", url="/an/", order=4, is_active=False)
    menu = header(reader_client.get("/").content.decode())
    assert f'<a href="{page.get_absolute_url()}">Giới thiệu</a>' in menu
    assert f'<a href="{topic.get_absolute_url()}">Đại hội</a>' in menu
    assert f'<a href="{category.get_absolute_url()}">Đảng bộ</a>' in menu
    assert '<a href="/lich-cong-tac/">Lịch làm việc</a>' in menu
    assert "Ẩn đi" not in menu
    assert menu.index("Giới thiệu") < menu.index("Đại hội") < menu.index("Đảng bộ")


def test_menu_change_shows_at_once(reader_client):
    item = MenuItem.objects.create(title="Liên hệ", url="/lien-he/")
    assert "Liên hệ" in header(reader_client.get("/").content.decode())
    item.title = "Liên hệ - góp ý"
    item.save()
    assert "Liên hệ - góp ý" in header(reader_client.get("/").content.decode())


def test_menu_rules_are_checked(db):
    top = MenuItem.objects.create(title="Cấp 1", url="/a/")
    second = MenuItem.objects.create(title="Cấp 2", url="/b/", parent=top)
    for bad, message in [
        (
            MenuItem(title="Hai đích", url="/c/", page=Page.objects.create(title="P")),
            "đúng một đích",
        ),
        (MenuItem(title="Không đích"), "đúng một đích"),
        (MenuItem(title="Cấp 3", url="/d/", parent=second), "hai cấp"),
        (MenuItem(title="Lạ", url="javascript:alert(1)"), "Liên kết phải là"),
    ]:
        with pytest.raises(ValidationError) as error:
            bad.full_clean()
        assert message in str(error.value)


def test_free_blocks_in_their_positions_sanitised(reader_client):
    FreeBlock.objects.create(
        title="Đường dây nóng", position="sidebar",
        body='<p>Gọi <strong>0271 3879 xxx</strong></p><script>alert(1)</script>'
             '<a href="javascript:alert(2)">x</a>',
    )  # fmt: skip
    FreeBlock.objects.create(title="Chân trang tự do", position="footer", body="<p>Bản quyền.</p>")
    FreeBlock.objects.create(title="Khối ẩn", position="sidebar", body="<p>Ẩn.</p>",
                             is_active=False)  # fmt: skip
    html = reader_client.get("/").content.decode()
    aside = html[html.index("<aside") : html.index("</aside>")]
    footer = html[html.index("<footer") : html.index("</footer>")]
    assert "Đường dây nóng" in aside and "<strong>0271 3879 xxx</strong>" in aside
    assert "<script>" not in html.split("</footer>")[0].split("<aside")[1]
    assert "javascript:" not in aside
    assert "Chân trang tự do" in footer
    assert "Khối ẩn" not in html


def test_free_block_needs_content_or_an_image_with_alt(db):
    with pytest.raises(ValidationError):
        FreeBlock(title="Trống", position="sidebar").full_clean()


def test_menu_and_blocks_cost_no_query_once_warm(reader_client, django_assert_num_queries):
    make_article("Bài viết")
    MenuItem.objects.create(title="Giới thiệu", url="/trang/gioi-thieu/")
    FreeBlock.objects.create(title="Đường dây nóng", position="sidebar", body="<p>Gọi.</p>")
    reader_client.get("/")
    # none, as with no menu or block: all are fragments of the content generation
    with django_assert_num_queries(0):
        html = reader_client.get("/").content.decode()
    assert "Đường dây nóng" in html and "Giới thiệu" in html


def test_staff_edit_the_menu_in_the_admin(db):
    client = Client()
    client.force_login(make_user("quantri", superuser=True))
    response = client.post(
        "/admin/pages/menuitem/add/",
        {"title": "Văn bản", "url": "/van-ban/", "order": "1", "is_active": "on"},
    )
    assert response.status_code == 302
    assert MenuItem.objects.get().link == "/van-ban/"
    response = client.post(
        "/admin/pages/freeblock/add/",
        {"title": "Trống", "position": "sidebar", "body": "", "order": "0", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "Nhập nội dung hoặc chọn một ảnh cho khối." in response.content.decode()
