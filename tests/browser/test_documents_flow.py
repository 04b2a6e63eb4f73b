"""A reader filters the document library, opens a guidance document, downloads its PDF and
sees the download count go up by one; downloading again at once does not raise it."""

from datetime import date

import pytest

from tests.documents.conftest import TRAN_PHU, make_document, small_pdf
from tests.documents.conftest import terms as terms  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"


def test_reader_filters_opens_and_downloads_a_document(live_server, desktop, flush_counts, terms):
    doc = make_document(terms, file_name="112-HD-BTGTU Hướng dẫn tuyên truyền Trần Phú.pdf")
    make_document(
        terms, "Kế hoạch tổ chức Hội thi tuyên truyền viên giỏi", code="130-KH/BTGTU",
        doc_type="kh", issued_on=date(2024, 6, 12),
    )  # fmt: skip
    make_document(
        terms, "Hướng dẫn tuyên truyền kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
        code="115-HD/BTGTU", issued_on=date(2024, 3, 10),
    )  # fmt: skip
    page = desktop

    page.goto(live_server.url + "/van-ban/")
    assert "Có 3 văn bản" in page.locator(".result-count").inner_text()
    page.select_option("#id_type", label="Hướng dẫn")
    page.fill("#id_q", "tran phu")
    page.get_by_role("button", name="Lọc văn bản").click()
    page.wait_for_url("**/van-ban/?*type=huong-dan*")
    assert "Tìm thấy 1 văn bản" in page.locator(".result-count").inner_text()
    assert page.locator("#id_type").input_value() == "huong-dan"  # the filter stays set

    page.locator("main").get_by_role("link", name=f"112-HD/BTGTU {TRAN_PHU}").click()
    page.wait_for_url(f"**{doc.get_absolute_url()}")
    assert page.locator("h1").inner_text() == TRAN_PHU
    assert page.locator(".download-count").inner_text() == "0"

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải về").click()
    download = info.value
    assert download.suggested_filename == "112-HD-BTGTU Hướng dẫn tuyên truyền Trần Phú.pdf"
    with open(download.path(), "rb") as f:
        assert f.read() == small_pdf()

    flush_counts()
    page.reload()
    assert page.locator(".download-count").inner_text() == "1"
    assert page.locator(".file-download-count").inner_text() == "1"

    with page.expect_download():
        page.get_by_role("link", name="Tải về").click()
    flush_counts()
    page.reload()
    assert page.locator(".download-count").inner_text() == "1"  # at once again: not counted

    # The sidebar block on every page shows the counts too.
    page.goto(live_server.url + "/")
    block = page.locator(".latest-documents:visible")
    assert "112-HD/BTGTU" in block.inner_text()
