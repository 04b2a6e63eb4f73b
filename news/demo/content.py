"""The demo content: categories, tags and the shape of a demo article.

Dates are given relative to the day the content is loaded (`on(3, 23)` is the latest 23 March
already past, `ago(2)` two days ago), so the portal always looks current and anniversaries
fall on their day. Texts may use `{year}`, `{month}`, `{date}`, `{prev}`, `{next}` and the anniversary
counts of `placeholders()`, filled from the article's own publish date.
"""

from dataclasses import dataclass
from datetime import date, datetime

# (name, slug, order, show_in_menu, description, [(child name, slug, order, show_in_menu)])
CATEGORIES = [
    ("Tin tức - Sự kiện", "tin-tuc-su-kien", 1, True,
     "Hoạt động của Tỉnh ủy, ngành Tuyên giáo và các sự kiện chính trị trong tỉnh, trong nước.",
     [("Tin trong tỉnh", "tin-trong-tinh", 1, True), ("Tin trong nước", "tin-trong-nuoc", 2, True)]),
    ("Chính trị", "chinh-tri", 2, True,
     "Xây dựng Đảng, học tập và làm theo Bác, công tác dân vận.",
     [("Xây dựng Đảng", "xay-dung-dang", 1, True),
      ("Học tập và làm theo Bác", "hoc-tap-va-lam-theo-bac", 2, True),
      ("Công tác dân vận", "cong-tac-dan-van", 3, True)]),
    ("Kinh tế", "kinh-te", 3, True,
     "Tình hình kinh tế - xã hội, nông nghiệp, công nghiệp và thu hút đầu tư của tỉnh.",
     [("Nông nghiệp - Nông thôn", "nong-nghiep-nong-thon", 1, True),
      ("Công nghiệp - Đầu tư", "cong-nghiep-dau-tu", 2, True)]),
    ("Văn hóa - Xã hội", "van-hoa-xa-hoi", 4, True,
     "Văn hóa, du lịch, giáo dục, y tế và đời sống của nhân dân các dân tộc trong tỉnh.",
     [("Văn hóa - Du lịch", "van-hoa-du-lich", 1, True),
      ("Giáo dục - Y tế", "giao-duc-y-te", 2, True)]),
    ("Quốc phòng - An ninh", "quoc-phong-an-ninh", 5, True,
     "Xây dựng nền quốc phòng toàn dân, thế trận an ninh nhân dân, bảo vệ biên giới.", []),
    ("Giáo dục lý luận chính trị", "giao-duc-ly-luan-chinh-tri", 6, True,
     "Hoạt động của các trung tâm chính trị, bài giảng và nghiên cứu lý luận.", []),
    ("Đấu tranh phản bác quan điểm sai trái", "dau-tranh-phan-bac", 7, True,
     "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh với các quan điểm sai trái, thù địch.", []),
    ("Lịch sử - Truyền thống", "lich-su-truyen-thong", 8, True,
     "Lịch sử Đảng bộ tỉnh, di tích và truyền thống cách mạng của quê hương.", []),
    # Notices are linked from the home page blocks, not from the menu.
    ("Thông báo", "thong-bao", 9, False, "Thông báo, lịch làm việc của cơ quan.", []),
]  # fmt: skip


def placeholders(moment: datetime) -> dict[str, int | str]:
    """What `{...}` in a demo text may refer to, for an article published at `moment`."""
    year = moment.year
    return {
        "year": year,
        "prev": year - 1,
        "next": year + 1,
        "month": f"{moment.month:02d}",
        "date": f"{moment:%d/%m/%Y}",
        "party": year - 1930,  # Đảng, ngành Tuyên giáo, công tác dân vận (1930)
        "nation": year - 1945,  # Cách mạng Tháng Tám, Quốc khánh, Công an nhân dân
        "liberation": year - 1975,  # giải phóng Phước Long, Bình Phước, miền Nam
        "uncle": year - 1890,  # Ngày sinh Chủ tịch Hồ Chí Minh
        "army": year - 1944,  # Quân đội nhân dân Việt Nam
        "defence": year - 1989,  # Ngày hội Quốc phòng toàn dân
        "border": year - 1959,  # Bộ đội Biên phòng
        "martyrs": year - 1947,  # Ngày Thương binh - Liệt sĩ
        "press": year - 1925,  # Báo chí cách mạng Việt Nam
        "province": year - 1997,  # tái lập tỉnh Bình Phước
    }


# --- When an article is published -------------------------------------------------------


@dataclass(frozen=True)
class On:
    """The latest `day/month` already past at load time, `back` years earlier still."""

    month: int
    day: int
    back: int = 0
    at: str = "08:00"


@dataclass(frozen=True)
class Ago:
    days: int
    at: str = "08:00"


@dataclass(frozen=True)
class Ahead:
    """A scheduled article: published in the future."""

    days: int
    at: str = "07:00"


@dataclass(frozen=True)
class Exact:
    day: date
    at: str


def on(month: int, day: int, back: int = 0, at: str = "08:00") -> On:
    return On(month, day, back, at)


def ago(days: int, at: str = "08:00") -> Ago:
    return Ago(days, at)


# --- Body blocks: a plain string is a paragraph (it may hold <strong>, <em>, <a>) ----------


@dataclass(frozen=True)
class H:
    text: str
    level: int = 2


@dataclass(frozen=True)
class UL:
    items: tuple


@dataclass(frozen=True)
class OL:
    items: tuple


@dataclass(frozen=True)
class Quote:
    text: str
    cite: str = ""


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple
    rows: tuple


@dataclass(frozen=True)
class Fig:
    """A captioned photo in the body: a generated picture stored as a BodyImage."""

    caption: str


@dataclass(frozen=True)
class Spec:
    title: str
    category: str
    summary: str
    body: tuple
    when: On | Ago | Ahead | Exact
    author: str = ""
    tags: tuple = ()
    source: tuple = ()  # (name,) or (name, url)
    featured: bool = False
    extra: tuple = ()  # slugs of extra categories
    status: str = "published"
    caption: str = ""  # of the featured image; "" means no caption (alt falls back to title)
    image: bool = True
    views: int | None = None
    comments: bool = True


SOURCES = {
    "bbp": ("Báo Bình Phước", "https://baobinhphuoc.com.vn/"),
    "dcs": ("Báo điện tử Đảng Cộng sản Việt Nam", "https://dangcongsan.vn/"),
    "tcs": ("Tạp chí Cộng sản", "https://www.tapchicongsan.org.vn/"),
    "ttx": ("Thông tấn xã Việt Nam",),
    "qdnd": ("Báo Quân đội nhân dân", "https://www.qdnd.vn/"),
    "ttdc": ("Ban Tuyên giáo Tỉnh ủy",),
}
