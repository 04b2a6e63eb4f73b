"""The library page, the document page and the "Văn bản mới" block: what a reader sees,
what a wrong filter answers, and what each costs in queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.models import Document
from portal import fragments
from stats import counting
from tests.conftest import SITE_BLOCKS_AFTER_A_CHANGE
from tests.documents.conftest import TRAN_PHU, make_document

pytestmark = pytest.mark.django_db

LIBRARY = "/van-ban/"  # the public address, kept stable


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def library(terms):
    """Five published documents (one expired, one not yet effective) and a draft."""
    today = timezone.localdate()
    docs = {
        "tran_phu": make_document(terms, body="Kỷ niệm ngày sinh đồng chí Trần Phú, Tổng Bí thư đầu tiên."),
        "dien_bien": make_document(
            terms, "Hướng dẫn tuyên truyền kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
            code="115-HD/BTGTU", issued_on=date(2024, 3, 10), signer="truong_ban",
            topics=("tuyen_truyen", "lich_su"),
        ),
        "hoi_thi": make_document(
            terms, "Kế hoạch tổ chức Hội thi tuyên truyền viên giỏi năm 2023", code="130-KH/BTGTU",
            doc_type="kh", issued_on=date(2023, 6, 12), expires_on=date(2023, 12, 31),
        ),
        "upcoming": make_document(
            terms, "Kế hoạch tuyên truyền cuộc bầu cử đại biểu Quốc hội", code="195-KH/TU",
            doc_type="kh", issuer="tu", signer=None, topics=(), issued_on=today - timedelta(days=2),
            effective_on=today + timedelta(days=30),
        ),
        "cong_van": make_document(
            terms, "Công văn về việc định hướng tuyên truyền phòng, chống bão số 3",
            code="1520-CV/BTGTU", doc_type="cv", issued_on=date(2024, 9, 9), with_file=False,
        ),
        "draft": make_document(
            terms, "Hướng dẫn tuyệt mật còn đang soạn", code="199-HD/BTGTU",
            issued_on=today, status=Document.Status.DRAFT,
        ),
    }  # fmt: skip
    return docs


def listed_codes(response) -> list[str]:
    import re

    return re.findall(r'<span class="doc-code">([^<]+)</span>', main_of(response))


def test_library_lists_published_documents_newest_first(reader_client, library):
    response = reader_client.get(LIBRARY)
    assert response.status_code == 200
    assert listed_codes(response) == [
        "195-KH/TU", "1520-CV/BTGTU", "112-HD/BTGTU", "115-HD/BTGTU", "130-KH/BTGTU",
    ]  # fmt: skip
    main = main_of(response)
    assert "Có 5 văn bản" in main
    assert "199-HD/BTGTU" not in response.content.decode()  # the draft, nowhere on the page
    assert "lượt xem: 0 | lượt tải: 0" in main


def test_accent_free_keywords_find_the_tran_phu_guidance(reader_client, library):
    response = reader_client.get(LIBRARY, {"q": "huong dan tran phu"})
    assert response.status_code == 200
    assert listed_codes(response) == ["112-HD/BTGTU"]
    assert "Tìm thấy 1 văn bản" in main_of(response)


@pytest.mark.parametrize("query", ["112-HD/BTGTU", "112-hd/btgtu", "112", "BTGTU 115"])
def test_documents_are_found_by_their_code(reader_client, library, query):
    codes = listed_codes(reader_client.get(LIBRARY, {"q": query}))
    assert codes and all(c in ("112-HD/BTGTU", "115-HD/BTGTU") for c in codes)
    if query.startswith("112"):
        assert codes == ["112-HD/BTGTU"]
    if query == "BTGTU 115":
        assert codes == ["115-HD/BTGTU"]


def test_the_body_is_searched_too(reader_client, library):
    assert listed_codes(reader_client.get(LIBRARY, {"q": "tong bi thu dau tien"})) == [
        "112-HD/BTGTU"
    ]


def test_filters_combine_and_stay_in_the_pagination_links(reader_client, library, terms):
    params = {"type": "huong-dan", "issuer": "ban-tuyen-giao-tinh-uy", "year": "2024"}
    response = reader_client.get(LIBRARY, params)
    assert listed_codes(response) == ["112-HD/BTGTU", "115-HD/BTGTU"]
    html = main_of(response)
    assert '<option value="huong-dan" selected>Hướng dẫn</option>' in html
    assert 'value="2024"' in html  # the form shows the filter that is applied
    response = reader_client.get(
        LIBRARY, {**params, "signer": terms["truong_ban"].pk, "field": "lich-su-dang"}
    )
    assert listed_codes(response) == ["115-HD/BTGTU"]


def test_pagination_keeps_the_filters(reader_client, terms):
    Document.objects.bulk_create(
        [
            Document(code=f"{i}-HD/BTGTU", title=f"Hướng dẫn số {i}", slug=f"hd-{i}",
                     doc_type=terms["hd"], issuer=terms["btgtu"], issued_on=date(2024, 1, 1),
                     effective_on=date(2024, 1, 1), status=Document.Status.PUBLISHED)
            for i in range(25)
        ]
    )  # fmt: skip
    response = reader_client.get(LIBRARY, {"type": "huong-dan", "year": "2024"})
    html = main_of(response)
    assert "Trang 1 / 2" in html
    assert 'href="?type=huong-dan&amp;year=2024&amp;page=2"' in html
    page2 = reader_client.get(LIBRARY, {"type": "huong-dan", "year": "2024", "page": "2"})
    assert len(listed_codes(page2)) == 5


def test_validity_filter(reader_client, library):
    def codes(value):
        return set(listed_codes(reader_client.get(LIBRARY, {"validity": value})))

    assert codes("expired") == {"130-KH/BTGTU"}
    assert codes("not_yet_effective") == {"195-KH/TU"}
    assert codes("in_force") == {"112-HD/BTGTU", "115-HD/BTGTU", "1520-CV/BTGTU"}


def test_date_range_filter(reader_client, library):
    response = reader_client.get(LIBRARY, {"date_from": "01/03/2024", "date_to": "2024-04-30"})
    assert listed_codes(response) == ["112-HD/BTGTU", "115-HD/BTGTU"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "Năm phải là một số"),
        ({"year": "20245"}, "Năm không được sau 2100"),
        ({"date_from": "2024-05-01", "date_to": "2024-01-01"}, "Ngày kết thúc phải sau"),
        ({"date_from": "31/02/2024"}, "Ngày không hợp lệ"),
        ({"type": "khong-co-loai-nay"}, "không có trong danh sách"),
        ({"issuer": "../../etc/passwd"}, "không có trong danh sách"),
        ({"signer": "abc"}, "không có trong danh sách"),
        ({"signer": "999999"}, "không có trong danh sách"),
        ({"field": "x" * 300}, "không có trong danh sách"),
        ({"validity": "forever"}, "không có trong danh sách"),
        ({"q": "x" * 201}, "Từ khóa quá dài"),
        ({"q": "!!! ???"}, "Hãy nhập từ khóa có chữ hoặc số"),
        ({"q": "tran\x00phu"}, "ký tự không hợp lệ"),
    ],
)
def test_bad_filter_values_answer_400_with_the_form_error(reader_client, library, params, message):
    response = reader_client.get(LIBRARY, params)
    assert response.status_code == 400
    main = main_of(response)
    assert message in main
    assert "Điều kiện lọc chưa hợp lệ" in main
    assert "112-HD/BTGTU" not in main


def test_a_keyword_that_finds_nothing_says_so_not_that_the_filter_is_wrong(reader_client, library):
    response = reader_client.get(LIBRARY, {"q": "khongcovanbannaonhuthe"})
    assert response.status_code == 200
    main = main_of(response)
    assert "Không có văn bản phù hợp" in main
    assert "Điều kiện lọc chưa hợp lệ" not in main


@pytest.mark.parametrize("page", ["abc", "0", "99"])
def test_bad_page_numbers_are_404(reader_client, library, page):
    assert reader_client.get(LIBRARY, {"page": page}).status_code == 404


def test_unknown_parameters_are_ignored(reader_client, library):
    assert reader_client.get(LIBRARY, {"utm_source": "zalo"}).status_code == 200


def test_document_page_shows_every_field_files_and_links(reader_client, library, terms):
    doc = library["tran_phu"]
    doc.related.add(library["dien_bien"])
    doc.replaces.add(library["hoi_thi"])
    doc.related.add(library["draft"])  # a draft is never shown, not even as a link
    doc.expires_on = date(2030, 1, 1)
    doc.save()
    response = reader_client.get(doc.get_absolute_url())
    assert response.status_code == 200
    main = main_of(response)
    for text in [
        "112-HD/BTGTU", TRAN_PHU, "Hướng dẫn", "Ban Tuyên giáo Tỉnh ủy",
        "Lê Thị Thu Hà</a> – Phó Trưởng ban", "Tuyên truyền", "02/04/2024", "01/01/2030",
        "Còn hiệu lực", "Tổng Bí thư đầu tiên", "Tệp đính kèm", "PDF ·", "KB",
        "Văn bản liên quan", "115-HD/BTGTU", "Văn bản được thay thế", "130-KH/BTGTU",
        "lượt xem: <span class=\"view-count\">0</span>",
    ]:  # fmt: skip
        assert text in main, text
    assert "199-HD/BTGTU" not in main
    file = doc.files.get()
    assert f'href="{file.get_view_url()}"' in main  # the PDF opens in the browser
    assert f'href="{file.get_absolute_url()}" download' in main
    # The replaced document points to its replacement.
    replaced = main_of(reader_client.get(library["hoi_thi"].get_absolute_url()))
    assert "Được thay thế bởi" in replaced and "112-HD/BTGTU" in replaced
    assert "Hết hiệu lực" in replaced


def test_document_page_leaves_out_empty_fields(reader_client, library):
    main = main_of(reader_client.get(library["upcoming"].get_absolute_url()))
    assert "Người ký" not in main and "Lĩnh vực" not in main
    assert "Ngày hết hiệu lực" not in main
    assert "Chưa có hiệu lực" in main


def test_drafts_are_404_to_the_public_and_previewed_by_staff(
    reader_client, client, editor, library
):
    draft = library["draft"]
    file = draft.files.get()
    for url in [draft.get_absolute_url(), file.get_absolute_url(), file.get_view_url()]:
        response = reader_client.get(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy" in response.content.decode()
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Bản xem trước" in response.content.decode()
    assert client.get(file.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/van-ban/../../etc/passwd",
        "/van-ban/..%2F..%2Fetc%2Fpasswd/",
        "/van-ban/tep/1/tai-ve/../../../etc/passwd",
        "/van-ban/tep/..%2F1/tai-ve/",
        "/van-ban/tep/%2e%2e/xem/",
        "/van-ban/khong-co-van-ban-nay/",
        "/van-ban/tep/999999/tai-ve/",
    ],
)
def test_paths_with_dot_dot_or_unknown_are_404(reader_client, library, url):
    response = reader_client.get(url)
    assert response.status_code == 404


def test_sidebar_block_shows_the_newest_documents_with_counts(reader_client, library):
    Document.objects.filter(pk=library["tran_phu"].pk).update(view_count=95, download_count=83)
    html = reader_client.get("/").content.decode()
    block = html[html.index("Văn bản mới") :]
    block = block[: block.index("</section>")]
    assert "112-HD/BTGTU" in block
    assert "Hướng dẫn tuyên truyền kỷ niệm 120 năm Ngày sinh đồng chí Trần Phú" in block
    assert "lượt xem: 95 | lượt tải: 83" in block
    assert "199-HD/BTGTU" not in block
    assert block.index("195-KH/TU") < block.index("112-HD/BTGTU")


def test_sidebar_block_follows_a_publish(reader_client, library):
    reader_client.get("/")
    draft = library["draft"]
    draft.status = Document.Status.PUBLISHED
    draft.save()
    assert "199-HD/BTGTU" in reader_client.get("/").content.decode()


def test_sitemap_lists_published_documents(reader_client, library):
    assert "sitemap-documents.xml" in reader_client.get("/sitemap.xml").content.decode()
    xml = reader_client.get("/sitemap-documents.xml").content.decode()
    assert library["tran_phu"].get_absolute_url() in xml
    assert library["draft"].get_absolute_url() not in xml
    draft = library["draft"]
    draft.status = Document.Status.PUBLISHED
    draft.save()
    assert draft.get_absolute_url() in reader_client.get("/sitemap-documents.xml").content.decode()


# Query counts: no page grows with the number of documents. The filter choices and the
# sidebar block are cached, so each page is requested once to warm them, then measured.


def add_documents(terms, n):
    """n published plans matching EVERY_FILTER (bulk: the fixture stays fast at any n)."""
    docs = Document.objects.bulk_create(
        [
            Document(code=f"{i}-KH/BTGTU", title=f"Kế hoạch tuyên truyền số {i}", slug=f"kh-{i}",
                     doc_type=terms["kh"], issuer=terms["btgtu"], signer=terms["truong_ban"],
                     issued_on=date(2024, 5, 1), effective_on=date(2024, 5, 1),
                     status=Document.Status.PUBLISHED, body="Tuyên truyền Trần Phú")
            for i in range(n)
        ]
    )  # fmt: skip
    Document.topics.through.objects.bulk_create(
        [Document.topics.through(document=d, topic=terms["tuyen_truyen"]) for d in docs]
    )


def _measure(client, url, params, django_assert_num_queries, expected, status=200):
    assert client.get(url, params).status_code == status
    with django_assert_num_queries(expected):
        assert client.get(url, params).status_code == status


EVERY_FILTER = {
    "q": "tran phu", "type": "ke-hoach", "issuer": "ban-tuyen-giao-tinh-uy", "signer": None,
    "field": "tuyen-truyen", "year": "2024", "date_from": "2024-01-01", "date_to": "2024-12-31",
    "validity": "in_force",
}  # fmt: skip


@pytest.mark.parametrize("extra", [1, 41])
def test_library_queries(reader_client, library, terms, django_assert_num_queries, extra):
    add_documents(terms, extra)
    # Warm: the count and the list are cached per filters and content generation.
    _measure(reader_client, LIBRARY, {}, django_assert_num_queries, 0)
    params = {**EVERY_FILTER, "signer": terms["truong_ban"].pk}
    _measure(reader_client, LIBRARY, params, django_assert_num_queries, 0)
    # After a change: count, page of documents (with type and issuer); the site-wide blocks
    reader_client.get(LIBRARY)
    fragments.bump()
    with django_assert_num_queries(2 + SITE_BLOCKS_AFTER_A_CHANGE):
        assert reader_client.get(LIBRARY).status_code == 200
    # a wrong filter: no query for the documents at all
    _measure(reader_client, LIBRARY, {"year": "abc"}, django_assert_num_queries, 0, status=400)


@pytest.mark.parametrize("extra", [0, 40])
def test_document_page_queries(reader_client, library, terms, django_assert_num_queries, extra):
    add_documents(terms, extra)
    doc = library["tran_phu"]
    doc.related.add(*Document.objects.filter(code__endswith="-KH/BTGTU"))
    doc.replaces.add(library["hoi_thi"])
    # document with type, issuer, signer; fields; files; related; replaces; replaced by
    _measure(reader_client, doc.get_absolute_url(), {}, django_assert_num_queries, 6)


@pytest.mark.parametrize("extra", [0, 40])
def test_sitemap_queries(reader_client, library, terms, django_assert_num_queries, extra):
    add_documents(terms, extra)
    reader_client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as index:
        reader_client.get("/sitemap.xml")
    assert not [q for q in index.captured_queries if "documents_document" in q["sql"]]
    # the documents section: served from the cache once warm
    _measure(reader_client, "/sitemap-documents.xml", {}, django_assert_num_queries, 0)


@pytest.mark.parametrize("extra", [0, 40])
def test_sidebar_block_queries(library, terms, django_assert_num_queries, extra):
    add_documents(terms, extra)
    template = Template("{% load documents_tags %}{% latest_documents_block %}")
    with django_assert_num_queries(1):  # the newest documents, then cached
        html = template.render(Context({}))
    assert html.count("lượt xem:") == 5
    with django_assert_num_queries(0):
        template.render(Context({}))


def test_head_on_a_document_page_answers_like_get_and_counts_nothing(reader_client, library):
    url = library["tran_phu"].get_absolute_url()
    head = reader_client.head(url)
    assert head.status_code == 200
    assert head["Content-Type"].startswith("text/html")
    assert reader_client.head(reverse("documents:library")).status_code == 200
    counting.buffer.flush()
    library["tran_phu"].refresh_from_db()
    assert library["tran_phu"].view_count == 0
