"""import_nukeviet carries over news topics (with their old links as 301s), `voting`,
`contact`, `menu` and `freecontent`, as NukeViet 4.5 stores them (entity-encoded text);
a second run adds nothing."""

import pytest

from contact.models import Department, Message
from news.models import Topic
from nukeviet.models import LegacyLink
from pages.models import FreeBlock, MenuItem
from polls.models import Poll
from tests.nukeviet.nv_fixture import NOW
from tests.nukeviet.test_import import article, run_import

pytestmark = pytest.mark.django_db

TABLES = [
    """CREATE TABLE nv4_vi_news_topics (topicid SMALLINT UNSIGNED PRIMARY KEY,
       title VARCHAR(250) NOT NULL, alias VARCHAR(250) NOT NULL, image VARCHAR(255) DEFAULT '',
       description VARCHAR(255) DEFAULT '', weight SMALLINT DEFAULT 0, keywords TEXT,
       add_time INT UNSIGNED DEFAULT 0, edit_time INT UNSIGNED DEFAULT 0)""",
    """CREATE TABLE nv4_vi_voting (vid SMALLINT UNSIGNED PRIMARY KEY, question VARCHAR(250),
       link VARCHAR(255) DEFAULT '', acceptcm INT DEFAULT 1, active_captcha TINYINT DEFAULT 0,
       admin_id MEDIUMINT DEFAULT 0, groups_view VARCHAR(255) DEFAULT '6',
       publ_time INT UNSIGNED DEFAULT 0, exp_time INT UNSIGNED DEFAULT 0, act TINYINT DEFAULT 1)""",
    """CREATE TABLE nv4_vi_voting_rows (id INT UNSIGNED PRIMARY KEY, vid SMALLINT UNSIGNED,
       title VARCHAR(245), url VARCHAR(255) DEFAULT '', hitstotal INT UNSIGNED DEFAULT 0)""",
    """CREATE TABLE nv4_vi_contact_department (id SMALLINT UNSIGNED PRIMARY KEY,
       full_name VARCHAR(250), alias VARCHAR(250), image VARCHAR(255) DEFAULT '',
       phone VARCHAR(255) DEFAULT '', fax VARCHAR(255) DEFAULT '', email VARCHAR(100) DEFAULT '',
       address VARCHAR(255) DEFAULT '', note TEXT, others TEXT, cats TEXT, admins TEXT,
       act TINYINT DEFAULT 1, weight SMALLINT DEFAULT 0, is_default TINYINT DEFAULT 0)""",
    """CREATE TABLE nv4_vi_contact_send (id MEDIUMINT UNSIGNED PRIMARY KEY,
       cid SMALLINT UNSIGNED, cat VARCHAR(255) DEFAULT '', title VARCHAR(255), content TEXT,
       send_time INT UNSIGNED, sender_id MEDIUMINT DEFAULT 0, sender_name VARCHAR(100),
       sender_address VARCHAR(250) DEFAULT '', sender_email VARCHAR(100),
       sender_phone VARCHAR(20) DEFAULT '', sender_ip VARCHAR(39) DEFAULT '',
       is_read TINYINT DEFAULT 0, is_reply TINYINT DEFAULT 0, is_processed TINYINT DEFAULT 0,
       processed_by MEDIUMINT DEFAULT 0, processed_time INT UNSIGNED DEFAULT 0)""",
    """CREATE TABLE nv4_vi_contact_reply (rid MEDIUMINT UNSIGNED PRIMARY KEY AUTO_INCREMENT,
       id MEDIUMINT UNSIGNED, reply_content TEXT, reply_time INT UNSIGNED,
       reply_aid MEDIUMINT UNSIGNED)""",
    """CREATE TABLE nv4_vi_menu (id MEDIUMINT UNSIGNED PRIMARY KEY, title VARCHAR(50))""",
    """CREATE TABLE nv4_vi_menu_rows (id MEDIUMINT UNSIGNED PRIMARY KEY,
       parentid MEDIUMINT UNSIGNED DEFAULT 0, mid SMALLINT UNSIGNED, title VARCHAR(255),
       link TEXT, weight INT DEFAULT 0, lev INT DEFAULT 0, status TINYINT DEFAULT 1)""",
    """CREATE TABLE nv4_vi_freecontent_rows (id MEDIUMINT UNSIGNED PRIMARY KEY,
       bid MEDIUMINT UNSIGNED, title VARCHAR(240), description TEXT, link VARCHAR(240) DEFAULT '',
       target VARCHAR(10) DEFAULT '', image VARCHAR(255) DEFAULT '',
       start_time INT UNSIGNED DEFAULT 0, end_time INT UNSIGNED DEFAULT 0, status TINYINT DEFAULT 1)""",
]
ROWS = [
    ("INSERT INTO nv4_vi_news_topics (topicid, title, alias, description, weight, add_time) "
     "VALUES (7, 'Đại hội Đảng bộ tỉnh lần thứ XI &quot;Đoàn kết&quot;', 'dai-hoi-dang-bo', "
     "'Tin bài về Đại hội', 1, %s)", [NOW - 90 * 86400]),
    ("UPDATE nv4_vi_news_rows SET topicid = 7 WHERE id IN (1001, 1006)", []),
    ("INSERT INTO nv4_vi_voting (vid, question, acceptcm, publ_time, exp_time, act) VALUES "
     "(1, 'Bạn đánh giá thế nào về Cổng thông tin &#039;mới&#039;?', 1, %s, 0, 1), "
     "(2, 'Một phương án', 1, %s, 0, 1)", [NOW - 86400, NOW - 86400]),
    ("INSERT INTO nv4_vi_voting_rows (id, vid, title, hitstotal) VALUES (1, 1, 'Rất tốt', 120), "
     "(2, 1, 'Tốt', 30), (3, 1, 'Cần cải thiện &amp; bổ sung', 10), (4, 2, 'Duy nhất', 5)", []),
    ("INSERT INTO nv4_vi_contact_department (id, full_name, alias, email, act, weight) VALUES "
     "(1, 'Phòng Tuyên truyền', 'phong-tuyen-truyen', 'tt@example.vn', 1, 1), "
     "(2, 'Văn phòng', 'van-phong', '', 1, 2)", []),
    ("INSERT INTO nv4_vi_contact_send (id, cid, title, content, send_time, sender_name, "
     "sender_email, is_read, is_reply) VALUES "
     "(1, 1, 'Hỏi &quot;lịch&quot; tiếp dân', 'Nội dung&lt;br /&gt;dòng hai', %s, 'Lan', "
     "'lan@example.vn', 1, 1), (2, 99, 'Bộ phận mất', 'x', %s, 'Ai', 'ai@example.vn', 0, 0)",
     [NOW - 5 * 86400, NOW - 86400]),
    ("INSERT INTO nv4_vi_contact_reply (id, reply_content, reply_time, reply_aid) VALUES "
     "(1, '<p>Thứ Năm hằng tuần.</p>', %s, 1)", [NOW - 4 * 86400]),
    ("INSERT INTO nv4_vi_menu (id, title) VALUES (1, 'Top Menu'), (2, 'Footer')", []),
    ("INSERT INTO nv4_vi_menu_rows (id, parentid, mid, title, link, weight, status) VALUES "
     "(1, 0, 1, 'Giới thiệu', '/vi/about/', 1, 1), "
     "(2, 1, 1, 'Lịch sử', '/vi/about/lich-su.html', 1, 1), "
     "(3, 2, 1, 'Cấp ba', '/vi/about/cap-ba.html', 1, 1), "
     "(4, 0, 1, 'Tin tức', 'https://tuyengiao.example.vn/vi/news/', 2, 1), "
     "(5, 0, 1, 'Xấu', 'javascript:alert(1)', 3, 1), "
     "(6, 0, 2, 'Menu khác', '/vi/', 1, 1)", []),
    ("INSERT INTO nv4_vi_freecontent_rows (id, bid, title, description, link, status) VALUES "
     "(1, 1, 'Đường dây nóng', '<p>Gọi <strong>0271</strong></p><script>alert(1)</script>', '', 1)",
     []),
]  # fmt: skip


@pytest.fixture
def old_site_with_features(nukeviet_db, nukeviet_sql):
    for sql in TABLES:
        nukeviet_sql(sql)
    for sql, params in ROWS:
        nukeviet_sql(sql, params)
    return nukeviet_db


def test_features_arrive_and_a_second_run_adds_nothing(old_site_with_features, uploads,
                                                       client):  # fmt: skip
    run_import(old_site_with_features, uploads)
    topic = Topic.objects.get()
    assert topic.title == 'Đại hội Đảng bộ tỉnh lần thứ XI "Đoàn kết"'
    assert topic.slug == "dai-hoi-dang-bo"
    assert article(1001).topic == topic and article(1006).topic == topic

    poll = Poll.objects.get()
    assert poll.question == "Bạn đánh giá thế nào về Cổng thông tin 'mới'?"
    assert list(poll.answers.values_list("text", "votes")) == [
        ("Rất tốt", 120), ("Tốt", 30), ("Cần cải thiện & bổ sung", 10),
    ]  # fmt: skip
    assert poll.voter_count == 160  # the one-answer poll is reported, not imported

    assert list(Department.objects.values_list("name", "is_active")) == [
        ("Phòng Tuyên truyền", True), ("Văn phòng", False),
    ]  # fmt: skip
    message = Message.objects.get()
    assert message.subject == 'Hỏi "lịch" tiếp dân'
    assert message.status == "answered" and message.answer == "Thứ Năm hằng tuần."
    assert not message.is_published  # staff choose what goes on Hỏi đáp

    assert list(MenuItem.objects.filter(parent=None).values_list("title", "url")) == [
        ("Giới thiệu", "/vi/about/"), ("Tin tức", "https://tuyengiao.example.vn/vi/news/"),
    ]  # fmt: skip
    assert MenuItem.objects.get(title="Lịch sử").parent.title == "Giới thiệu"
    assert not MenuItem.objects.filter(title__in=["Cấp ba", "Xấu", "Menu khác"]).exists()

    block = FreeBlock.objects.get()
    assert "<strong>0271</strong>" in block.body and "script" not in block.body

    before = LegacyLink.objects.count()
    run_import(old_site_with_features, uploads)
    assert LegacyLink.objects.count() == before
    assert (Topic.objects.count(), Poll.objects.count(), Message.objects.count()) == (1, 1, 1)
    assert (MenuItem.objects.count(), FreeBlock.objects.count()) == (3, 1)

    # Old topic links answer 301 to the topic page.
    for old in ["/vi/news/topic/dai-hoi-dang-bo/", "/news/topic/dai-hoi-dang-bo/page-2/",
                "/index.php?language=vi&nv=news&op=topic/dai-hoi-dang-bo"]:  # fmt: skip
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"].startswith(topic.get_absolute_url())
    assert client.get("/vi/news/topic/khong-co/").status_code == 404
