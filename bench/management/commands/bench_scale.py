"""Fill a database to the size the portal must hold after years of use, for bench/scale.py:
200,000 articles, 20,000 documents (one file each), 1,000,000 comments and three years of
visit statistics (stats' own generate_stats), then ANALYZE.

Rows are made by the database (INSERT ... SELECT FROM generate_series), from pools of text
made here once; the generated search columns compute themselves and every constraint is
checked as for any other row. Articles, documents and comments are written in one
transaction: all or nothing. Made rows have slugs starting with "quy-mo-"; the command
refuses to run twice on one database (it never deletes: use a fresh database).

A command of the bench app, so it exists only under bench.settings (bench/scale.py sets it).
"""

import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from documents import demo as documents_demo
from documents.models import Document, DocumentType, IssuingBody, Topic
from news.models import Article, Category, Tag
from stats.models import DailyTraffic

PREFIX = "quy-mo-"
# The few shared files every made document points at (written under DOCUMENTS_ROOT).
FILE_SIZES = [48_000, 120_000, 310_000, 760_000]
FILE_NAME = "quy-mo/van-ban-mau-{}.pdf"

WORDS = (
    "tỉnh ủy ban thường vụ tuyên giáo cán bộ đảng viên nhân dân phát triển kinh tế xã hội "
    "nghị quyết chỉ thị học tập làm theo tư tưởng đạo đức phong cách Hồ Chí Minh hội nghị "
    "tổng kết triển khai nhiệm vụ năm công tác chính trị báo chí xuất bản tuyên truyền cơ sở "
    "huyện thị xã thành phố đồng chí phó bí thư thường trực chủ tịch mặt trận tổ quốc đoàn "
    "thể nông thôn mới giảm nghèo bền vững an sinh giáo dục y tế văn hóa quốc phòng an ninh "
    "biên giới chuyển đổi số cải cách hành chính doanh nghiệp đầu tư hạ tầng giao thông cao "
    "su điều hạt tiêu sản xuất nông nghiệp công nghiệp thương mại dịch vụ du lịch di tích "
    "lịch sử truyền thống cách mạng thi đua khen thưởng Bình Phước Đồng Xoài Bù Đăng Lộc Ninh"
).split()
NAMES = [
    "Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thu Hà",
    "Vũ Đức Hải", "Đặng Thị Hoa", "Bùi Văn Khánh", "Đỗ Thanh Lâm", "Hồ Thị Mai",
    "Ngô Văn Nam", "Dương Thị Oanh", "Lý Văn Phúc", "Trịnh Thị Quỳnh", "Mai Văn Sơn",
]  # fmt: skip
AUTHORS = ["Tuyết Anh", "Minh Đức", "Thanh Hương", "Quốc Việt", "Hải Yến", "Văn Long"]


def _sentence(rng: random.Random, low=10, high=24) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))
    return text[0].upper() + text[1:] + "."


def _pools(seed: int) -> dict[str, list[str]]:
    """Text the rows are assembled from: a row picks its pieces by its number."""
    rng = random.Random(seed)  # noqa: S311 - reproducible filler text
    paragraphs = []
    for n in range(400):
        text = " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
        if n % 9 == 0:
            paragraphs.append(f"<h2>{_sentence(rng, 6, 12)}</h2><p>{text}</p>")
        elif n % 13 == 0:
            paragraphs.append(f"<blockquote><p>{text}</p></blockquote>")
        elif n % 7 == 0:
            paragraphs.append(
                f'<p>{text} <a href="https://baobinhphuoc.com.vn/tin/{n}">'
                f"{_sentence(rng, 4, 8)}</a></p>"
            )
        else:
            paragraphs.append(f"<p>{text}</p>")
    return {
        "titles": [_sentence(rng, 8, 16)[:-1] for _ in range(1000)],
        "summaries": [" ".join(_sentence(rng) for _ in range(2)) for _ in range(300)],
        "paragraphs": paragraphs,
        "comments": [
            " ".join(_sentence(rng, 6, 18) for _ in range(rng.randint(1, 3))) for _ in range(300)
        ],
        "doc_titles": [_sentence(rng, 10, 20)[:-1] for _ in range(500)],
    }


class Command(BaseCommand):
    help = (
        "Làm đầy cơ sở dữ liệu để đo hiệu năng ở quy mô lớn (bench/scale.py): 200.000 bài "
        "viết, 20.000 văn bản, 1.000.000 bình luận, 3 năm số liệu truy cập, rồi ANALYZE. "
        "Chỉ thêm, không xoá; chạy trên một cơ sở dữ liệu riêng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=200_000)
        parser.add_argument("--documents", type=int, default=20_000)
        parser.add_argument("--comments", type=int, default=1_000_000)
        parser.add_argument(
            "--stats-days", type=int, default=3 * 365 + 1, help="ngày số liệu truy cập (0: bỏ)"
        )
        parser.add_argument("--seed", type=int, default=20240510)
        parser.add_argument("--dry-run", action="store_true", help="chỉ in, không ghi")

    def handle(self, *args, **opt):
        for name in ("articles", "documents", "comments"):
            if not 0 <= opt[name] <= 5_000_000:
                raise CommandError(f"--{name} phải từ 0 đến 5.000.000.")
        if opt["comments"] and not opt["articles"]:
            raise CommandError("Cần có bài viết (--articles) để gắn bình luận.")
        if not 0 <= opt["stats_days"] <= 20 * 366:
            raise CommandError("--stats-days phải từ 0 đến 7320.")
        self.verbosity = opt["verbosity"]
        if Article.objects.filter(slug__startswith=PREFIX).exists() or (
            Document.objects.filter(slug__startswith=PREFIX).exists()
        ):
            raise CommandError(
                "Cơ sở dữ liệu này đã có dữ liệu quy mô lớn (đường dẫn “quy-mo-…”); "
                "hãy dùng một cơ sở dữ liệu mới."
            )
        end = timezone.localdate() - timedelta(days=1)
        start = end - timedelta(days=opt["stats_days"] - 1)
        stats_days = opt["stats_days"]
        if stats_days and DailyTraffic.objects.filter(day__gte=start, day__lte=end).exists():
            self.say("Đã có số liệu truy cập trong khoảng ngày này: không sinh thêm.")
            stats_days = 0
        self.say(
            f"{opt['articles']:,} bài viết, {opt['documents']:,} văn bản, "
            f"{opt['comments']:,} bình luận, {stats_days} ngày số liệu truy cập"
        )
        if opt["dry_run"]:
            self.say("--dry-run: không ghi gì.")
            return

        began = time.monotonic()
        pools = _pools(opt["seed"])
        with transaction.atomic():
            with connection.cursor() as cursor:
                # One big load: sort in memory, no JIT compile of one-off plans.
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute("SET LOCAL jit = off")
                if opt["articles"]:
                    self.step("bài viết", self.articles, cursor, opt["articles"], pools)
                if opt["comments"]:
                    self.step("bình luận", self.comments, cursor, opt["comments"], pools)
                if opt["documents"]:
                    self.step("văn bản", self.documents, cursor, opt["documents"], pools)
        if opt["documents"]:
            self.write_files()
        if stats_days:
            self.step(
                "số liệu truy cập",
                call_command,
                "generate_stats",
                "--days",
                str(stats_days),
                "--end",
                str(end),
                verbosity=0,
            )
        self.step("ANALYZE", self.analyze)
        self.say(f"Xong trong {time.monotonic() - began:.0f} s.", success=True)

    # --- helpers ---------------------------------------------------------------------------

    def say(self, message: str, success: bool = False) -> None:
        if self.verbosity > 0:
            self.stdout.write(self.style.SUCCESS(message) if success else message)

    def step(self, label: str, function, *args, **kwargs) -> None:
        began = time.monotonic()
        function(*args, **kwargs)
        self.say(f"  {label}: {time.monotonic() - began:.1f} s")

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # --- articles --------------------------------------------------------------------------

    def articles(self, cursor, n: int, pools) -> None:
        categories = list(Category.objects.values_list("pk", flat=True))
        if not categories:
            categories = [
                Category.objects.create(name=f"Chuyên mục {i}", slug=f"{PREFIX}{i}", order=i).pk
                for i in range(1, 9)
            ]
        tags = [
            Tag.objects.get_or_create(slug=f"{PREFIX}the-{i}", defaults={"name": name})[0].pk
            for i, name in enumerate(
                [
                    "Kỷ niệm ngày lễ lớn",
                    "Chuyển đổi số",
                    "Nông thôn mới",
                    "Biên giới",
                    "Học tập và làm theo Bác",
                    "Cải cách hành chính",
                    "Giảm nghèo",
                    "Du lịch",
                ]
            )  # fmt: skip
        ]
        # Newest first from half an hour ago, back about three years; a few drafts, hidden
        # and scheduled ones, a featured one in 400, a quarter with two tags.
        now = timezone.now()
        step_seconds = 3 * 365 * 86400 / max(n, 1)
        cursor.execute(
            """
            INSERT INTO news_article (
                title, slug, summary, body, image, image_caption, image_thumb, image_large,
                author, source_name, source_url, category_id, status, publish_at, featured,
                allow_comments, allow_rating, view_count, comment_count, created_by_id,
                created_at, updated_at)
            SELECT
                p.titles[1 + (g * 7919) %% cardinality(p.titles)],
                %(prefix)s || g,
                p.summaries[1 + (g * 31) %% cardinality(p.summaries)],
                p.paras[1 + g %% 400] || E'\n' || p.paras[1 + (g * 7 + 3) %% 400]
                    || E'\n' || p.paras[1 + (g * 13 + 5) %% 400] || E'\n'
                    || p.paras[1 + (g * 17 + 11) %% 400] || E'\n'
                    || p.paras[1 + (g * 29 + 19) %% 400],
                '', '', '', '',
                p.authors[1 + g %% cardinality(p.authors)],
                CASE WHEN g %% 3 = 0 THEN 'Báo Bình Phước' ELSE '' END, '',
                p.categories[1 + (g * 37) %% cardinality(p.categories)],
                CASE WHEN g %% 101 = 0 THEN 'draft' WHEN g %% 211 = 0 THEN 'hidden'
                     WHEN g %% 307 = 0 THEN 'pending' ELSE 'published' END,
                CASE WHEN g %% 997 = 0 THEN %(now)s + interval '3 days'
                     ELSE %(now)s - interval '30 minutes' - g * %(step)s * interval '1 second'
                END,
                g %% 400 = 0, true, true, (g::bigint * 2654435761) %% 20000, 0, NULL,
                %(now)s - g * %(step)s * interval '1 second',
                %(now)s - g * %(step)s * interval '1 second'
            FROM generate_series(1, %(n)s) g
            CROSS JOIN (
                SELECT %(titles)s::text[] AS titles, %(summaries)s::text[] AS summaries,
                       %(paras)s::text[] AS paras, %(authors)s::text[] AS authors,
                       %(categories)s::bigint[] AS categories
            ) p
            """,
            {
                "n": n,
                "prefix": PREFIX,
                "now": now,
                "step": step_seconds,
                "titles": pools["titles"],
                "summaries": pools["summaries"],
                "paras": pools["paragraphs"],
                "authors": AUTHORS,
                "categories": categories,
            },
        )
        cursor.execute(
            """
            INSERT INTO news_article_tags (article_id, tag_id)
            SELECT a.id, t.tag
            FROM news_article a
            CROSS JOIN (SELECT %(tags)s::bigint[] AS tags) p
            CROSS JOIN LATERAL (VALUES (p.tags[1 + a.id %% cardinality(p.tags)]),
                                       (p.tags[1 + (a.id + 3) %% cardinality(p.tags)])) t(tag)
            WHERE a.slug LIKE %(like)s AND a.id %% 4 = 0
            """,
            {"tags": tags, "like": PREFIX + "%"},
        )

    # --- comments --------------------------------------------------------------------------

    def comments(self, cursor, n: int, pools) -> None:
        """Top-level comments spread over the made published articles (17 in 20 approved,
        2 waiting, 1 spam), one in ten a staff reply to an approved one; then each
        article's comment_count as comments.services counts it."""
        replies = n // 10
        top = n - replies
        cursor.execute(
            """
            CREATE TEMP TABLE scale_articles ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY id) AS k, id, publish_at
            FROM news_article
            WHERE slug LIKE %(like)s AND status = 'published' AND publish_at <= %(now)s
            """,
            {"like": PREFIX + "%", "now": timezone.now()},
        )
        cursor.execute("SELECT count(*) FROM scale_articles")
        (count,) = cursor.fetchone()
        if not count:
            raise CommandError("Không có bài viết đã xuất bản để gắn bình luận.")
        cursor.execute("CREATE UNIQUE INDEX ON scale_articles (k)")
        now = timezone.now()
        cursor.execute(
            """
            INSERT INTO comments_comment (
                article_id, parent_id, name, email, body, status, by_staff, user_id, reader,
                created_at, moderated_at, moderated_by_id)
            SELECT a.id, NULL,
                p.names[1 + g %% cardinality(p.names)],
                'bandoc' || g || '@example.vn',
                p.bodies[1 + (g * 7) %% cardinality(p.bodies)],
                CASE WHEN g %% 20 < 17 THEN 'approved' WHEN g %% 20 < 19 THEN 'pending'
                     ELSE 'spam' END,
                false, NULL, NULL,
                least(%(now)s, a.publish_at + (g %% 2000) * interval '1 minute'),
                CASE WHEN g %% 20 < 17 OR g %% 20 = 19
                     THEN least(%(now)s, a.publish_at + (g %% 2000 + 30) * interval '1 minute')
                END,
                NULL
            FROM generate_series(1, %(top)s) g
            JOIN scale_articles a ON a.k = 1 + (g * 7) %% %(count)s
            CROSS JOIN (SELECT %(names)s::text[] AS names, %(bodies)s::text[] AS bodies) p
            """,
            {
                "top": top,
                "count": count,
                "now": now,
                "names": NAMES,
                "bodies": pools["comments"],
            },
        )
        cursor.execute(
            """
            INSERT INTO comments_comment (
                article_id, parent_id, name, email, body, status, by_staff, user_id, reader,
                created_at, moderated_at, moderated_by_id)
            SELECT c.article_id, c.id, 'Ban biên tập', 'bbt@example.vn',
                   'Cảm ơn bạn đã quan tâm theo dõi và góp ý.', 'approved', true, NULL, NULL,
                   least(%(now)s, c.created_at + interval '2 hours'),
                   least(%(now)s, c.created_at + interval '2 hours'), NULL
            FROM comments_comment c JOIN scale_articles a ON a.id = c.article_id
            WHERE c.parent_id IS NULL AND c.status = 'approved'
            ORDER BY c.id
            LIMIT %(replies)s
            """,
            {"replies": replies, "now": now},
        )
        cursor.execute(
            """
            UPDATE news_article AS a SET comment_count = x.n
            FROM (
                SELECT c.article_id, count(*) AS n
                FROM comments_comment c
                JOIN scale_articles s ON s.id = c.article_id
                LEFT JOIN comments_comment p ON p.id = c.parent_id
                WHERE c.status = 'approved' AND (c.parent_id IS NULL OR p.status = 'approved')
                GROUP BY c.article_id
            ) AS x
            WHERE a.id = x.article_id
            """
        )
        cursor.execute("DROP TABLE scale_articles")

    # --- documents -------------------------------------------------------------------------

    def documents(self, cursor, n: int, pools) -> None:
        def terms(model, names):
            existing = list(model.objects.values_list("pk", flat=True))
            return existing or [model.objects.get_or_create(name=name)[0].pk for name in names]

        types = terms(DocumentType, ["Hướng dẫn", "Kế hoạch", "Công văn", "Nghị quyết"])
        issuers = terms(IssuingBody, ["Ban Tuyên giáo Tỉnh ủy", "Tỉnh ủy", "Ủy ban nhân dân tỉnh"])
        topics = terms(Topic, ["Tuyên truyền", "Giáo dục chính trị tư tưởng", "Lịch sử Đảng"])
        now = timezone.now()
        today = timezone.localdate()
        # Issued over the last 16 years; one in ten expires two years after it took effect.
        cursor.execute(
            """
            INSERT INTO documents_document (
                code, title, slug, body, doc_type_id, issuer_id, signer_id, issued_on,
                effective_on, expires_on, status, view_count, download_count, created_by_id,
                created_at, updated_at)
            SELECT
                g || '-' || CASE g %% 4 WHEN 0 THEN 'HD' WHEN 1 THEN 'KH' WHEN 2 THEN 'CV'
                                        ELSE 'NQ' END || '/BTGTU',
                p.titles[1 + (g * 13) %% cardinality(p.titles)],
                %(prefix)s || 'van-ban-' || g,
                p.summaries[1 + g %% cardinality(p.summaries)],
                p.types[1 + g %% cardinality(p.types)],
                p.issuers[1 + (g * 7) %% cardinality(p.issuers)],
                NULL,
                %(today)s::date - (g * 5840 / %(n)s),
                %(today)s::date - (g * 5840 / %(n)s) + (g %% 15),
                CASE WHEN g %% 10 = 0 THEN %(today)s::date - (g * 5840 / %(n)s) + (g %% 15) + 730
                END,
                CASE WHEN g %% 53 = 0 THEN 'draft' ELSE 'published' END,
                (g::bigint * 40503) %% 5000, (g::bigint * 9973) %% 2000, NULL, %(now)s, %(now)s
            FROM generate_series(1, %(n)s) g
            CROSS JOIN (
                SELECT %(titles)s::text[] AS titles, %(summaries)s::text[] AS summaries,
                       %(types)s::bigint[] AS types, %(issuers)s::bigint[] AS issuers
            ) p
            """,
            {
                "n": n,
                "prefix": PREFIX,
                "now": now,
                "today": today,
                "titles": pools["doc_titles"],
                "summaries": pools["summaries"],
                "types": types,
                "issuers": issuers,
            },
        )
        cursor.execute(
            """
            INSERT INTO documents_document_topics (document_id, topic_id)
            SELECT d.id, p.topics[1 + d.id %% cardinality(p.topics)]
            FROM documents_document d CROSS JOIN (SELECT %(topics)s::bigint[] AS topics) p
            WHERE d.slug LIKE %(like)s
            """,
            {"topics": topics, "like": PREFIX + "%"},
        )
        cursor.execute(
            """
            INSERT INTO documents_documentfile (
                document_id, file, title, original_name, kind, size, "order", download_count,
                uploaded_at)
            SELECT d.id, replace(%(name)s, '{}', (d.id %% %(files)s)::text), '',
                   d.code || '.pdf', 'pdf', (%(sizes)s::bigint[])[1 + d.id %% %(files)s], 0,
                   d.download_count, %(now)s
            FROM documents_document d WHERE d.slug LIKE %(like)s
            """,
            {
                "name": FILE_NAME,
                "files": len(FILE_SIZES),
                "sizes": FILE_SIZES,
                "now": now,
                "like": PREFIX + "%",
            },
        )

    def write_files(self) -> None:
        root = settings.DOCUMENTS_ROOT
        for i, size in enumerate(FILE_SIZES):
            path = root / FILE_NAME.format(i)
            path.parent.mkdir(parents=True, exist_ok=True)
            data = documents_demo.padded_pdf(size, seed=i + 1)
            if not path.exists() or path.stat().st_size != len(data):
                path.write_bytes(data)
