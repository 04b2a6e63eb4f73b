"""A small NukeViet 4.x site in a fresh MariaDB database (127.0.0.1:3306, root, no password)
and its uploads/ folder: a few hundred ordinary rows and the hostile ones an old site has.

Without a reachable MariaDB the tests that use it skip, saying why; with REQUIRE_MARIADB set
(CI, once .ci/run has started the server) they fail instead.
"""

import io
import os
import time

import pytest
from PIL import Image

from nukeviet import sample

NOW = int(time.time())
DAY = 86400
OLD_HOST = "old.example.vn"
# Article 1001's title as staff typed it; NukeViet stores it entity-encoded.
TITLE_1001 = 'Đồng Phú: khai mạc "Ngày hội" & (lần 2)/2024!'
YOUTUBE = "https://www.youtube.com/embed/dG66RocXSeY?rel=0&amp;showinfo=0"
HITS_TOTAL = 18089


# nv_htmlspecialchars (includes/functions.php), which NukeViet's request filter applies to
# every text field staff type (get_title): each character by its entity, in this order.
_NV_SPECIAL = list("&'\"<>\\/()*[]!=%^:{}`~")
_NV_ENTITY = ["&amp;", "&#039;", "&quot;", "&lt;", "&gt;", "&#x005C;", "&#x002F;", "&#40;",
              "&#41;", "&#42;", "&#91;", "&#93;", "&#33;", "&#x3D;", "&#x25;", "&#x5E;",
              "&#x3A;", "&#x7B;", "&#x7D;", "&#x60;", "&#x7E;"]  # fmt: skip


def nv_encode(value: str) -> str:
    """Text as NukeViet stores it: `Đồng Phú: 01-NQ/TU` -> `Đồng Phú&#x3A; 01-NQ&#x002F;TU`."""
    for char, entity in zip(_NV_SPECIAL, _NV_ENTITY, strict=True):
        value = value.replace(char, entity)
    return value


def _mariadb_or_skip():
    try:
        sample.connect().close()
    except Exception as exc:
        message = f"MariaDB không chạy ở 127.0.0.1:3306 (root, không mật khẩu): {exc}"
        if os.environ.get("REQUIRE_MARIADB"):
            pytest.fail(message)
        pytest.skip(message)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 500), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (220, 80), (20, 60, 200)).save(out, "PNG")
    return out.getvalue()


def make_uploads(root):
    files = {
        "news/2024_01/anh-dai-dien.jpg": _jpeg(),
        "news/2024_01/anh-trong-bai.jpg": _jpeg(),
        "news/2024_01/tai-lieu.pdf": b"%PDF-1.4\n%test\n",
        "laws/2024/nghi-quyet-01.pdf": b"%PDF-1.4\n%nghi quyet\n",
        "banners/lien-ket.png": _png(),
    }
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def fill(db):
    """The rows; ids >= 1001 are the special cases the tests name."""
    sample.generate(db, 200, comments_per_article=1, seed=7)
    with db.cursor() as cur:
        run = cur.execute
        many = cur.executemany
        # Categories of generate(): 1-5 level 1, 6-20 level 2 under them. Add a level 3
        # and a level 4 under 6, and one whose parent is gone.
        many(
            "INSERT INTO nv4_vi_news_cat (catid, parentid, title, alias, weight) VALUES (%s,%s,%s,%s,%s)",
            [(30, 6, "Cấp ba", "cap-ba", 1), (31, 30, "Cấp bốn", "cap-bon", 1),
             (32, 99, "Mồ côi", "mo-coi", 9)],
        )  # fmt: skip
        run("UPDATE nv4_vi_news_cat SET title = %s WHERE catid = 5", [nv_encode("Kinh tế: Xã hội")])
        run(
            "INSERT INTO nv4_vi_news_sources VALUES (1, %s, %s, 1)",
            [nv_encode("Báo Nhân Dân (điện tử)"), nv_encode("https://nhandan.vn")],
        )
        run("INSERT INTO nv4_vi_news_block_cat VALUES (1, 'Tin tiêu điểm', 'tin-tieu-diem')")
        run("INSERT INTO nv4_vi_news_block VALUES (1, 1001, 1), (1, 1008, 2)")
        run("UPDATE nv4_counter SET c_count = %s WHERE c_type = 'total'", [HITS_TOTAL])

        def article(i, *, catid=1, listcatid="", status=1, publtime=NOW - 5 * DAY, exptime=0,
                    title=None, body=b"<p>Noi dung.</p>", image="", alt="", sourceid=0,
                    sourcetext="", hits=0, total_rating=0, click_rating=0, comm="6",
                    rating=1, addtime=None, author="Minh Anh", external=0):  # fmt: skip
            many(
                "INSERT INTO nv4_vi_news_rows (id, catid, listcatid, author, sourceid, addtime,"
                " status, publtime, exptime, title, alias, hometext, homeimgfile, homeimgalt,"
                " homeimgthumb, allowed_comm, allowed_rating, hitstotal, total_rating,"
                " click_rating, external_link)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                [(i, catid, listcatid, nv_encode(author), sourceid,
                  publtime if addtime is None else addtime, status, publtime, exptime,
                  nv_encode(title or f"Bài đặc biệt {i}"), f"bai-dac-biet-{i}",
                  "Sapo <b>đậm</b> &amp; rõ", image, nv_encode(alt), 1 if image else 0, comm,
                  rating, hits, total_rating, click_rating, external)],
            )  # fmt: skip
            many(
                "INSERT INTO nv4_vi_news_detail (id, bodyhtml, sourcetext) VALUES (%s,%s,%s)",
                [(i, body, nv_encode(sourcetext))],
            )

        article(
            1001, catid=6, listcatid="6,2,7", image="2024_01/anh-dai-dien.jpg",
            alt="Quang cảnh: hội nghị", sourceid=1, sourcetext="https://nhandan.vn/bai-goc",
            hits=1234, total_rating=40, click_rating=9, title=TITLE_1001, author="Đặng Thủy",
            body=(
                '<p>Mở đầu<script>alert("x")</script></p>'
                '<p><img src="/uploads/news/2024_01/anh-trong-bai.jpg" onerror="alert(1)"></p>'
                '<p><a href="uploads/news/2024_01/tai-lieu.pdf">Tải tài liệu</a></p>'
                f'<p><img src="http://{OLD_HOST}/uploads/news/2024_01/anh-trong-bai.jpg"></p>'
                '<p><a href="javascript:alert(1)">xấu</a></p>'
            ).encode(),
        )  # fmt: skip
        article(1002, publtime=0, addtime=0)  # no date at all
        article(1003, publtime=4294967295)  # out of range
        article(1004, catid=77)  # missing category
        article(1005, body=b"<p>Ch\xe0o \xff\xfe</p>")  # not UTF-8
        article(1006, body=b"<p><b>kh\xc3\xb4ng \xc4\x91\xc3\xb3ng <div><table><tr><td>x")
        article(
            1007, image="2024_01/khong-co.jpg",
            body=b'<p><img src="/uploads/news/2024_01/mat-roi.jpg"></p>',
        )  # fmt: skip
        article(1008, status=2, publtime=NOW + 3 * DAY)  # scheduled
        article(1009, status=1, exptime=NOW - DAY)  # past its expiry
        article(1010, status=4)  # draft
        article(1011, status=5)  # sent for review
        article(1012, catid=31)  # a level-4 category
        article(1013, status=3)  # expired
        article(1014, comm="0", rating=0)  # comments and rating off
        # An external link: NukeViet sends readers to sourcetext instead of showing it.
        article(1015, external=1, sourcetext="https://baochinhphu.vn/bai-goc-102.htm")
        article(1016, comm="4")  # comments for members only (group 4)
        article(  # a video and aligned paragraphs, as NukeViet's CKEditor saves them
            1017,
            body=(
                f'<p style="text-align: center;"><iframe allowfullscreen="" frameborder="0"'
                f' height="315" src="{YOUTUBE}" width="560"></iframe></p>'
                '<p style="text-align: center;"><img alt="Ảnh" src="/uploads/news/2024_01/anh-trong-bai.jpg"'
                ' style="width: 600px; height: 400px;" /></p>'
                '<p style="text-align: right;"><strong>Ban Biên tập</strong></p>'
                '<p><iframe src="https://evil.example.com/embed/1"></iframe></p>'
            ).encode(),
        )  # fmt: skip
        article(1018, exptime=NOW + 30 * DAY)  # expires later: imported published, with a warning
        many(
            "INSERT INTO nv4_vi_news_authorlist (id, aid, alias, pseudonym) VALUES (%s,%s,%s,%s)",
            [(1001, 1, "quantri", "quantri")],
        )
        many(
            "INSERT INTO nv4_vi_news_tags (tid, title, alias) VALUES (%s,%s,%s)",
            [
                (301, "Chuyển đổi số", "chuyen-doi-so"),
                (302, "", "nong-thon-moi"),
                (304, nv_encode("Covid-19: phòng chống"), "covid-19-phong-chong"),
                (303, "chuyển đổi  số", "chuyển-đổi-số"),
            ],  # the same word as 301
        )
        many(
            "INSERT INTO nv4_vi_news_tags_id (id, tid, keyword) VALUES (%s,%s,%s)",
            [(1001, 301, "chuyển đổi số"), (1001, 302, "nông thôn mới")],
        )
        many(
            "INSERT INTO nv4_vi_comment (cid, module, id, pid, content, post_time, post_name,"
            " post_email, status) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            [
                (5001, "news", 1001, 0, nv_encode("Bài rất hay: đúng & đủ"), NOW - 4 * DAY,
                 nv_encode("Lan (Đồng Xoài)"), "lan@example.vn", 1),
                (5002, "news", 1001, 5001, "Cảm ơn bạn", NOW - 3 * DAY, "Hùng", "hung@example.vn", 1),
                (5003, "news", 1001, 5002, "Trả lời tiếp", NOW - 2 * DAY, "Mai", "khong-phai-email", 1),
                (5004, "news", 1001, 0, "Chờ duyệt", NOW - DAY, "Tú", "tu@example.vn", 0),
                (5005, "news", 1001, 999999, "Mồ côi", NOW - DAY, "Ai", "ai@example.vn", 1),
                (5006, "news", 1004, 0, "Bài không nhập", NOW - DAY, "Ba", "ba@example.vn", 1),
                (5007, "news", 1001, 0, "<script>alert(1)</script>Ý kiến<br>dòng hai", NOW - DAY,
                 "Bốn", "bon@example.vn", 1),
                (5008, "news", 1001, 0, "Ngày hỏng", 0, "Năm", "nam@example.vn", 1),
                (5009, "laws", 1, 0, "Của module khác", NOW, "Sáu", "sau@example.vn", 1),
            ],
        )  # fmt: skip
        # Laws: types, issuers, fields, signers, documents.
        run(
            "INSERT INTO nv4_vi_laws_cat (id, alias, title, weight) VALUES (1, 'nghi-quyet', 'Nghị quyết', 1)"
        )
        run(
            "INSERT INTO nv4_vi_laws_subject (id, alias, title, weight) VALUES"
            " (1, 'tinh-uy', 'Tỉnh ủy', 1), (2, 'so-gd-dt', %s, 2)",
            [nv_encode("Sở GD&ĐT")],
        )
        run("INSERT INTO nv4_vi_laws_examine (id, title, weight) VALUES (1, %s, 1)",
            [nv_encode("Ban Pháp chế (HĐND)")])  # fmt: skip
        run(
            "INSERT INTO nv4_vi_laws_area (id, alias, title) VALUES (1, 'kinh-te', 'Kinh tế'), (2, 'van-hoa', 'Văn hóa')"
        )
        run(
            "INSERT INTO nv4_vi_laws_signer (id, title, positions) VALUES (1, 'Nguyễn Văn A', 'Bí thư')"
        )

        def law(i, *, cid=1, sid=1, publtime=NOW - 400 * DAY, startvalid=0, exptime=0,
                files="", related="", replaces="", status=1, views=0, downloads=0, eid=0,
                note=""):  # fmt: skip
            many(
                "INSERT INTO nv4_vi_laws_row (id, replacement, relatement, title, alias, code, cid,"
                " sid, eid, sgid, note, introtext, bodytext, files, status, publtime, startvalid,"
                " exptime, view_hits, download_hits)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                [(i, replaces, related, f"Về công tác tuyên truyền {i}", f"ve-cong-tac-{i}",
                  nv_encode(f"{i}-NQ/TU"), cid, sid, eid, 1, note, "Tóm tắt <i>ngắn</i>",
                  "<p>Toàn văn</p>", files, status, publtime, startvalid, exptime, views,
                  downloads)],
            )  # fmt: skip

        law(1, files="2024/nghi-quyet-01.pdf,2024/mat.pdf", related="2", views=95, downloads=83,
            startvalid=NOW - 390 * DAY, exptime=NOW + 365 * DAY, eid=1,
            note=nv_encode("Thay cho văn bản số 12/NQ-TU") + "<br />" + nv_encode("(bản gốc)"))  # fmt: skip
        # 2 replaces 3 (admin/content.php writes the column and the table, oid = 2), in a
        # file held on another site.
        law(2, replaces="3", sid=2, files="https://vanban.chinhphu.vn/files/nq-2.pdf")
        law(3, status=0)
        law(4, publtime=0)  # no issue date
        law(5, cid=9)  # missing type
        run("INSERT INTO nv4_vi_laws_row_area VALUES (1, 1), (1, 2), (2, 2)")
        run("INSERT INTO nv4_vi_laws_set_replace (oid, nid) VALUES (2, 3)")
        # The page module ("Giới thiệu", module `about`), as modules/page/admin/content.php
        # saves it: the title encoded, the body editor HTML with a centred video.
        many(
            "INSERT INTO nv4_vi_about (id, title, alias, description, bodytext, weight, status)"
            " VALUES (%s,%s,%s,%s,%s,%s,%s)",
            [
                (1, nv_encode("Giới thiệu: Ban Tuyên giáo"), "gioi-thieu", "Chức năng &amp; nhiệm vụ",
                 f'<div style="text-align: center;"><iframe src="{YOUTUBE}" width="420"></iframe></div>'
                 '<p style="text-align: justify;">Ban Tuyên giáo Tỉnh ủy…</p>', 1, 1),
                (2, "Cơ cấu tổ chức", "co-cau-to-chuc", "", "<p>Lãnh đạo Ban</p>", 2, 1),
                (3, "Trang tạm ẩn", "trang-tam-an", "", "<p>Ẩn</p>", 3, 0),
            ],
        )  # fmt: skip
        # Banners.
        run("INSERT INTO nv4_banners_plans (id, blang, title, form, width, height, act) VALUES"
            " (1, '', 'Liên kết', 'sequential', 220, 80, 1), (2, 'vi', 'Đầu trang', 'random', 980, 90, 1),"
            " (3, 'vi', 'Quảng cáo phải', 'sequential', 300, 250, 1)")  # fmt: skip
        many(
            "INSERT INTO nv4_banners_rows (id, title, pid, file_name, file_ext, file_mime, width,"
            " height, click_url, add_time, publ_time, exp_time, hits_total, act, weight)"
            " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            [
                (1, "Báo Điện tử Đảng", 1, "lien-ket.png", "png", "image/png", 220, 80,
                 "https://dangcongsan.vn", NOW - DAY, NOW - DAY, 0, 42, 1, 1),
                # An image without a link, and a row with neither.
                (2, "Ảnh không liên kết", 1, "lien-ket.png", "png", "image/png", 220, 80, "",
                 NOW - DAY, NOW - DAY, 0, 0, 1, 2),
                (4, "Không gì cả", 3, "", "", "", 0, 0, "", NOW, NOW, 0, 0, 1, 1),
                (3, "Ảnh mất", 2, "mat.png", "png", "image/png", 980, 90,
                 "https://example.vn", NOW - DAY, NOW - DAY, NOW + 30 * DAY, 7, 3, 1),
            ],
        )  # fmt: skip


@pytest.fixture
def nukeviet_db():
    """The URL of a fresh NukeViet database filled by fill(); dropped afterwards."""
    _mariadb_or_skip()
    name = f"nv_test_{os.getpid()}"
    db = sample.create_database(name)
    try:
        fill(db)
    finally:
        db.close()
    yield f"mysql://root@127.0.0.1:3306/{name}"
    sample.drop_database(name)


@pytest.fixture
def nukeviet_sql(nukeviet_db):
    """Run SQL on the source database (to change a row between two imports)."""
    name = nukeviet_db.rsplit("/", 1)[1]

    def run(sql, params=()):
        db = sample.connect(name)
        try:
            with db.cursor() as cur:
                cur.execute(sql, params)
        finally:
            db.close()

    return run


@pytest.fixture
def uploads(tmp_path, settings):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return make_uploads(tmp_path / "uploads")
