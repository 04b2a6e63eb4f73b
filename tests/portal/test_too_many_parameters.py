"""A request with more query parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS is refused with
the portal's 400 page, never a 500 (the error page itself must not read request.GET)."""

import pytest

from tests.conftest import make_article, make_category

pytestmark = pytest.mark.django_db

TOO_MANY = "&".join(f"p{i}=1" for i in range(1100))


@pytest.mark.parametrize("path", ["/tim-kiem/", "/van-ban/", "ARTICLE"])
def test_too_many_parameters_get_the_vietnamese_400_page(client, path):
    if path == "ARTICLE":
        path = make_article(category=make_category()).get_absolute_url()
    response = client.get(f"{path}?{TOO_MANY}")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_unknown_page_with_too_many_parameters_is_a_plain_404(client):
    response = client.get(f"/khong-co-trang-nay/?{TOO_MANY}")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_search_box_shows_the_query_on_the_search_page_only(client):
    page = client.get("/tim-kiem/?q=tuyen+giao").content.decode()
    assert 'id="q-top" type="search" name="q"' in page
    assert 'value="tuyen giao"' in page
    home = client.get("/?q=tuyen+giao").content.decode()
    assert 'value="tuyen giao"' not in home
