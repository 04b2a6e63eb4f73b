"""The reports. Each is a class registered by its slug: it names the apps it reads and
returns its sheets (portal.exports.Sheet: a title row, typed columns, rows produced lazily
from a queryset iterator). A report whose apps are not installed is not offered.

Add a report: subclass Report, set slug/title/apps, write sheets(), decorate with
@register. The form, the download, the commands and the monthly email pick it up.

Each report imports the models of its apps inside its own methods: that is what lets a
report whose apps are not installed be skipped rather than break the whole module.
"""

from __future__ import annotations

from datetime import datetime

from django.apps import apps as django_apps
from django.db.models import Count, Q
from django.utils import timezone

from portal.exports import DATE, DATETIME, DECIMAL, INT, Column, Sheet, SlugLinks, made_at_text
from reports import sources
from stats.periods import Period

REGISTRY: dict[str, type[Report]] = {}


def register(cls: type[Report]) -> type[Report]:
    REGISTRY[cls.slug] = cls
    return cls


def available() -> list[type[Report]]:
    return [cls for cls in REGISTRY.values() if cls.available()]


def get(slug: str) -> type[Report] | None:
    cls = REGISTRY.get(slug)
    return cls if cls is not None and cls.available() else None


class Report:
    slug = ""  # the file name: bao-cao-<slug>-<period>.xlsx
    title = ""  # "bài viết xuất bản"
    description = ""  # one line in the form
    apps: tuple[str, ...] = ()  # the installed apps it reads
    uses_category = False

    def __init__(self, period: Period, category=None, made_at: datetime | None = None):
        self.period = period
        self.category = category if self.uses_category else None
        self.made_at = made_at or timezone.now()

    @classmethod
    def available(cls) -> bool:
        return all(django_apps.is_installed(app) for app in cls.apps)

    def heading(self, part: str = "") -> str:
        parts = [f"Báo cáo {self.title}" + (f": {part}" if part else ""), self.period.label]
        if self.category is not None:
            parts.append(f"chuyên mục {self.category.name}")
        parts.append(made_at_text(self.made_at))
        return " — ".join(parts)

    def filename(self, fmt: str) -> str:
        name = f"bao-cao-{self.slug}-{self.period.slug}"
        if self.category is not None:
            name += f"-{self.category.slug}"
        return f"{name}.{fmt}"

    def sheets(self) -> list[Sheet]:
        raise NotImplementedError


def _category_filter(queryset, category):
    return queryset if category is None else queryset.in_category(category)


@register
class ArticlesReport(Report):
    slug = "bai-viet"
    title = "bài viết xuất bản"
    description = "Bài viết xuất bản trong kỳ: lượt xem trong kỳ và tổng, bình luận, đánh giá."
    apps = ("news",)
    uses_category = True

    columns = [
        Column("Tiêu đề", width=60),
        Column("Chuyên mục", width=22),
        Column("Tác giả", width=20),
        Column("Thời gian xuất bản", DATETIME, 18),
        Column("Trạng thái", width=14),
        Column("Lượt xem trong kỳ", INT, 12, total=True),
        Column("Tổng lượt xem", INT, 12, total=True),
        Column("Bình luận đã duyệt", INT, 12, total=True),
        Column("Số lượt đánh giá", INT, 12, total=True),
        Column("Điểm đánh giá trung bình", DECIMAL, 12),
        Column("Liên kết", width=50),
    ]

    def queryset(self):
        from news.models import Article

        start, end = self.period.bounds()
        published = (
            Article.objects.filter(
                status__in=[Article.Status.PUBLISHED, Article.Status.HIDDEN],
                publish_at__gte=start,
                publish_at__lt=min(end, timezone.now()),  # scheduled ones are not out yet
            )
        )  # fmt: skip
        return (
            _category_filter(published, self.category)
            .annotate(period_views=sources.period_count(sources.ARTICLE_VIEWS, self.period))
            .order_by("publish_at", "id")
            .values_list(
                "title", "category__name", "author", "publish_at", "status", "period_views",
                "view_count", "comment_count", "rating_total__votes", "rating_total__points",
                "slug",
            )
        )  # fmt: skip

    def rows(self):
        from news.models import Article

        statuses = dict(Article.Status.choices)
        link = SlugLinks("news:article")
        for (title, category, author, published, status, period_views, views, comments,
             votes, points, slug) in self.queryset().iterator(chunk_size=2000):  # fmt: skip
            yield [
                title, category, author, published, statuses.get(status, status), period_views,
                views, comments, votes or 0, round(points / votes, 1) if votes else None,
                link(slug),
            ]  # fmt: skip

    def sheets(self):
        return [Sheet("Bài viết", self.heading(), self.columns, self.rows())]


@register
class MostReadReport(Report):
    slug = "xem-nhieu"
    title = "nội dung xem nhiều"
    description = "Bài viết và văn bản được xem nhiều nhất trong kỳ (lượt xem trong kỳ)."
    apps = ("news",)
    uses_category = True
    limit = 100

    def article_rows(self):
        from news.models import Article

        among = None
        if self.category is not None:
            among = Article.objects.in_category(self.category).values("pk")
        ranked = sources.ranked(sources.ARTICLE_VIEWS, self.period, limit=self.limit, among=among)
        articles = (
            Article.objects.select_related("category")
            .only("title", "slug", "publish_at", "view_count", "category__name")
            .in_bulk([object_id for object_id, _ in ranked])
        )
        link = SlugLinks("news:article")
        for rank, (object_id, n) in enumerate(ranked, 1):
            a = articles.get(object_id)
            if a is None:  # deleted since; the dashboard lists it the same way
                yield [rank, f"#{object_id} (đã xoá)", None, None, n, None, None]
            else:
                yield [rank, a.title, a.category.name, a.publish_at, n, a.view_count,
                       link(a.slug)]  # fmt: skip

    def document_rows(self):
        from documents.models import Document

        ranked = sources.ranked(sources.DOCUMENT_VIEWS, self.period, limit=self.limit)
        documents = (
            Document.objects.select_related("doc_type")
            .only("code", "title", "slug", "issued_on", "view_count", "doc_type__name")
            .in_bulk([object_id for object_id, _ in ranked])
        )
        link = SlugLinks("documents:detail")
        for rank, (object_id, n) in enumerate(ranked, 1):
            d = documents.get(object_id)
            if d is None:
                yield [rank, None, f"#{object_id} (đã xoá)", None, None, n, None, None]
            else:
                yield [rank, d.code, d.title, d.doc_type.name, d.issued_on, n, d.view_count,
                       link(d.slug)]  # fmt: skip

    def sheets(self):
        sheets = [
            Sheet(
                "Bài viết xem nhiều",
                self.heading(f"{self.limit} bài viết xem nhiều nhất"),
                [
                    Column("Hạng", INT, 7),
                    Column("Tiêu đề", width=60),
                    Column("Chuyên mục", width=22),
                    Column("Thời gian xuất bản", DATETIME, 18),
                    Column("Lượt xem trong kỳ", INT, 12, total=True),
                    Column("Tổng lượt xem", INT, 12),
                    Column("Liên kết", width=50),
                ],
                self.article_rows(),
            )
        ]
        # Documents have no category: with a category chosen, articles only.
        if django_apps.is_installed("documents") and self.category is None:
            sheets.append(
                Sheet(
                    "Văn bản xem nhiều",
                    self.heading(f"{self.limit} văn bản xem nhiều nhất"),
                    [
                        Column("Hạng", INT, 7),
                        Column("Số ký hiệu", width=18),
                        Column("Trích yếu", width=60),
                        Column("Loại văn bản", width=18),
                        Column("Ngày ban hành", DATE, 12),
                        Column("Lượt xem trong kỳ", INT, 12, total=True),
                        Column("Tổng lượt xem", INT, 12),
                        Column("Liên kết", width=50),
                    ],
                    self.document_rows(),
                )
            )
        return sheets


@register
class DocumentsReport(Report):
    slug = "van-ban"
    title = "văn bản"
    description = "Văn bản đã xuất bản: lượt xem và lượt tải trong kỳ và tổng."
    apps = ("documents",)

    columns = [
        Column("Số ký hiệu", width=18),
        Column("Trích yếu", width=60),
        Column("Loại văn bản", width=18),
        Column("Cơ quan ban hành", width=26),
        Column("Ngày ban hành", DATE, 12),
        Column("Lượt xem trong kỳ", INT, 12, total=True),
        Column("Lượt tải trong kỳ", INT, 12, total=True),
        Column("Tổng lượt xem", INT, 12, total=True),
        Column("Tổng lượt tải", INT, 12, total=True),
        Column("Liên kết", width=50),
    ]

    def rows(self):
        from documents.models import Document

        link = SlugLinks("documents:detail")
        queryset = (
            Document.objects.published()
            .annotate(
                period_views=sources.period_count(sources.DOCUMENT_VIEWS, self.period),
                period_downloads=sources.period_count(sources.DOCUMENT_DOWNLOADS, self.period),
            )
            .order_by("-issued_on", "-id")
            .values_list(
                "code", "title", "doc_type__name", "issuer__name", "issued_on", "period_views",
                "period_downloads", "view_count", "download_count", "slug",
            )
        )  # fmt: skip
        for *values, slug in queryset.iterator(chunk_size=2000):
            yield [*values, link(slug)]

    def sheets(self):
        return [Sheet("Văn bản", self.heading(), self.columns, self.rows())]


@register
class VisitsReport(Report):
    slug = "truy-cap"
    title = "truy cập"
    description = (
        "Lượt truy cập, lượt xem trang, người đọc theo ngày (theo tháng với cả năm); "
        "trang dẫn đến và thiết bị."
    )
    apps = ("stats",)

    def traffic_rows(self):
        from stats import summaries

        days = summaries.daily_traffic(self.period)
        if not self.period.monthly:
            for day, page_views, visits, readers in days:
                yield [day, visits, page_views, readers]
            return
        # The dashboard's "Theo tháng": the days of each month added up.
        months: dict = {}
        for day, page_views, visits, readers in days:
            m = months.setdefault(day.replace(day=1), [0, 0, 0])
            m[0] += visits
            m[1] += page_views
            m[2] += readers
        for month, values in months.items():
            yield [f"{month:%m/%Y}", *values]

    def source_rows(self):
        from stats import summaries

        period = self.period
        tables = [summaries.top_referrers(period, limit=None), *summaries.clients(period)]
        for table in tables:
            total = table.total or 1
            for row in table.rows:
                n = row.values[0]
                yield [table.title, row.label, n, round(100 * n / total, 1)]

    def sheets(self):
        first = Column("Tháng", width=12) if self.period.monthly else Column("Ngày", DATE, 12)
        return [
            Sheet(
                "Truy cập",
                self.heading("theo tháng" if self.period.monthly else "theo ngày"),
                [
                    first,
                    Column("Lượt truy cập", INT, 14, total=True),
                    Column("Lượt xem trang", INT, 14, total=True),
                    # Readers are told apart within a day only: a total adds days up.
                    Column("Người đọc (cộng theo ngày)", INT, 14, total=True),
                ],
                self.traffic_rows(),
            ),
            Sheet(
                "Nguồn và thiết bị",
                self.heading("trang dẫn đến và thiết bị"),
                [
                    Column("Nhóm", width=34),
                    Column("Giá trị", width=34),
                    Column("Số lượt", INT, 12),
                    Column("Tỷ lệ (%)", DECIMAL, 10),
                ],
                self.source_rows(),
                totals_label=None,  # the groups count different things
            ),
        ]


@register
class CommentsReport(Report):
    slug = "binh-luan"
    title = "bình luận"
    description = (
        "Bình luận nhận được trong kỳ theo bài viết (đã duyệt, từ chối, thư rác); "
        "số bình luận mỗi người kiểm duyệt đã xử lý."
    )
    apps = ("comments", "news")
    uses_category = True

    def article_rows(self):
        from comments.models import Comment
        from news.models import Article

        start, end = self.period.bounds()
        received = Q(comments__created_at__gte=start, comments__created_at__lt=end)
        statuses = Comment.Status

        def of(status):
            return Count("comments", filter=received & Q(comments__status=status))

        articles = _category_filter(Article.objects.all(), self.category)
        if self.category is not None:
            # in_category() is DISTINCT over a join; count over a clean subquery instead.
            articles = Article.objects.filter(pk__in=articles.values("pk"))
        queryset = (
            articles.annotate(
                received=Count("comments", filter=received),
                approved=of(statuses.APPROVED),
                rejected=of(statuses.REJECTED),
                spam=of(statuses.SPAM),
                pending=of(statuses.PENDING),
            )
            .filter(received__gt=0)
            .order_by("-received", "-publish_at", "id")
            .values_list(
                "title", "category__name", "received", "approved", "rejected", "spam",
                "pending", "slug",
            )
        )  # fmt: skip
        link = SlugLinks("news:article")
        for *values, slug in queryset.iterator(chunk_size=2000):
            yield [*values, link(slug)]

    def moderator_rows(self):
        from django.contrib.auth import get_user_model

        from comments.models import Comment

        start, end = self.period.bounds()
        handled = Q(
            moderated_at__gte=start, moderated_at__lt=end, by_staff=False,
            moderated_by__isnull=False,
        )  # fmt: skip
        if self.category is not None:
            from news.models import Article

            handled &= Q(article__in=Article.objects.in_category(self.category).values("pk"))
        rows = (
            Comment.objects.filter(handled)
            .values_list("moderated_by")
            .annotate(
                approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
                rejected=Count("pk", filter=Q(status=Comment.Status.REJECTED)),
                spam=Count("pk", filter=Q(status=Comment.Status.SPAM)),
                total=Count("pk"),
            )
            .order_by("-total", "moderated_by")
        )
        users = get_user_model().objects.in_bulk([r[0] for r in rows])
        for user_id, approved, rejected, spam, total in rows:
            user = users.get(user_id)
            name = (user.get_full_name() or user.get_username()) if user else f"#{user_id}"
            username = user.get_username() if user else ""
            yield [name, username, approved, rejected, spam, total]

    def sheets(self):
        return [
            Sheet(
                "Theo bài viết",
                self.heading("theo bài viết"),
                [
                    Column("Bài viết", width=60),
                    Column("Chuyên mục", width=22),
                    Column("Nhận được", INT, 11, total=True),
                    Column("Đã duyệt", INT, 11, total=True),
                    Column("Bị từ chối", INT, 11, total=True),
                    Column("Thư rác", INT, 11, total=True),
                    Column("Chờ duyệt", INT, 11, total=True),
                    Column("Liên kết", width=50),
                ],
                self.article_rows(),
            ),
            Sheet(
                "Theo người kiểm duyệt",
                self.heading("theo người kiểm duyệt"),
                [
                    Column("Người kiểm duyệt", width=28),
                    Column("Tài khoản", width=18),
                    Column("Đã duyệt", INT, 11, total=True),
                    Column("Từ chối", INT, 11, total=True),
                    Column("Thư rác", INT, 11, total=True),
                    Column("Tổng số đã xử lý", INT, 14, total=True),
                ],
                self.moderator_rows(),
            ),
        ]


@register
class BannersReport(Report):
    slug = "quang-cao"
    title = "quảng cáo"
    description = "Quảng cáo (banner): lượt hiển thị, lượt bấm và tỷ lệ bấm trong kỳ."
    apps = ("banners",)

    def rows(self):
        from banners.clickthrough import banner_report

        for row in banner_report(start=self.period.start, end=self.period.end):
            yield [row.title, row.position, row.is_live, row.impressions, row.clicks, row.ctr]

    def sheets(self):
        columns = [
            Column("Quảng cáo", width=40),
            Column("Vị trí", width=22),
            Column("Đang hiện", width=10),
            Column("Lượt hiển thị", INT, 14, total=True),
            Column("Lượt bấm", INT, 12, total=True),
            Column("Tỷ lệ bấm (%)", DECIMAL, 12),
        ]
        return [Sheet("Quảng cáo", self.heading(), columns, self.rows())]
