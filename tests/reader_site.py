"""One small portal with every kind of reader page filled in, for the accessibility tests
(tests/portal/test_reader_markup.py without a browser, tests/browser/test_accessibility.py
with axe-core): a menu category with a subcategory, an article with a captioned image, tags,
comments with a staff reply and the rating, a document with a PDF, a static page; and the
error pages as the server renders them.

The caller sets settings.DOCUMENTS_ROOT to a temporary folder first (documents/ stores the
PDF there)."""

import io
from datetime import date, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.core.files.base import ContentFile
from django.template import loader
from django.test import RequestFactory
from django.utils import timezone
from PIL import Image

from comments import services as comment_services
from comments.models import Comment
from documents.models import DocumentType, IssuingBody, Signer, Topic
from news.models import Tag
from news.services import article_make_renditions
from pages.models import Page
from portal import outage, views
from tests.conftest import make_article, make_category
from tests.documents.conftest import make_document

ARTICLE_TITLE = "Hội nghị tổng kết công tác tuyên giáo năm 2024"
CAPTION = "Quang cảnh hội nghị tại hội trường Tỉnh ủy"


def _jpeg() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (1200, 750), (150, 40, 40)).save(out, "JPEG", quality=70)
    return ContentFile(out.getvalue())


def make_reader_site() -> dict[str, str]:
    """Create the sample content; return {page kind: path} for every reader page."""
    news = make_category("Tin tức - Sự kiện", order=1)
    local = make_category("Tin trong tỉnh", parent=news, order=1)
    make_category("Tin trong nước", parent=news, order=2)
    make_category("Xây dựng Đảng", order=2)
    tag = Tag.objects.create(name="Tuyên giáo")
    article = make_article(
        ARTICLE_TITLE,
        category=local,
        featured=True,
        image_caption=CAPTION,
        author="Minh Anh",
        summary="Ban Tuyên giáo Tỉnh ủy tổng kết công tác năm 2024 và triển khai nhiệm vụ năm 2025.",
        body="<p>Sáng nay, Ban Tuyên giáo Tỉnh ủy tổ chức hội nghị.</p>"
        "<h2>Kết quả nổi bật</h2><p>Nhiều mô hình hay được nhân rộng.</p>",
    )
    article.image.save("hoi-nghi.jpg", _jpeg(), save=True)
    article_make_renditions(article=article)
    article.tags.set([tag])
    for n in range(3):
        make_article(
            f"Tin trong tỉnh số {n + 1}: tuyên truyền kỷ niệm ngày thành lập",
            category=local,
            publish_at=timezone.now() - timedelta(hours=2 + n),
        ).tags.set([tag])
    first = Comment.objects.create(
        article=article, name="Trần Thị Bình", email="binh@example.vn",
        body="Bài viết rất thiết thực.", status="approved",
    )  # fmt: skip
    Comment.objects.create(
        article=article, parent=first, name="Ban biên tập", email="bbt@example.vn",
        body="Cảm ơn bạn đã góp ý.", status="approved", by_staff=True,
    )  # fmt: skip
    comment_services.comments_recount(article_ids=[article.pk])

    terms = {
        "hd": DocumentType.objects.create(name="Hướng dẫn", order=1),
        "kh": DocumentType.objects.create(name="Kế hoạch", order=2),
        "btgtu": IssuingBody.objects.create(name="Ban Tuyên giáo Tỉnh ủy", order=1),
        "pho_ban": Signer.objects.create(name="Lê Thị Thu Hà", position="Phó Trưởng ban"),
        "tuyen_truyen": Topic.objects.create(name="Tuyên truyền", order=1),
    }
    document = make_document(terms)
    make_document(
        terms, "Kế hoạch tổ chức Hội thi tuyên truyền viên giỏi", code="130-KH/BTGTU",
        doc_type="kh", issued_on=date(2024, 6, 12),
    )  # fmt: skip
    page = Page.objects.create(title="Giới thiệu", body="<p>Ban Tuyên giáo Tỉnh ủy.</p>")
    return {
        **_feature_pages(article),
        "home": "/",
        "category": news.get_absolute_url(),
        "subcategory": local.get_absolute_url(),
        "article": article.get_absolute_url(),
        "print": f"{article.get_absolute_url()}in/",
        "tag": tag.get_absolute_url(),
        "search": "/tim-kiem/?q=tuyen+giao",
        "search-empty": "/tim-kiem/?q=khong+co+bai+nao",
        "library": "/van-ban/?q=tuyen+truyen",
        "library-open": "/van-ban/?q=tuyen+truyen&type=huong-dan",
        "document": document.get_absolute_url(),
        "page": page.get_absolute_url(),
        "404": "/trang-khong-co-that/",
    }


def _feature_pages(article) -> dict[str, str]:
    """Polls, contact and questions, the schedule and topics (issue 18)."""
    from contact import services as contact_services
    from contact.models import Department
    from news.models import Topic as NewsTopic
    from polls.models import Answer, Poll
    from polls.services import poll_vote
    from schedule.models import Entry, Leader, Week, monday_of
    from schedule.services import week_publish

    poll = Poll.objects.create(
        question="Bạn thường đọc tin tức trên thiết bị nào?",
        opens_at=timezone.now() - timedelta(days=1),
    )
    answers = [Answer.objects.create(poll=poll, text=t, order=i)
               for i, t in enumerate(["Điện thoại", "Máy tính", "Máy tính bảng"])]  # fmt: skip
    poll_vote(poll=poll, answer_ids=[answers[0].pk], voter=b"v" * 16, reader=b"r" * 16)
    department = Department.objects.create(name="Phòng Tuyên truyền",
                                           recipients="tuyentruyen@example.vn")  # fmt: skip
    message = contact_services.message_submit(
        department=department, name="Trần Văn An", email="an@example.vn", phone="",
        subject="Hỏi về lịch tiếp công dân", body="Xin cho biết lịch tiếp công dân.", reader=None,
    )  # fmt: skip
    contact_services.message_answer(message=message, answer="Thứ Năm hằng tuần.", user=None,
                                    publish=True)  # fmt: skip
    leader = Leader.objects.create(name="Nguyễn Văn Hùng", title="Trưởng ban")
    week = Week.objects.create(start=monday_of(timezone.localdate()))
    Entry.objects.create(week=week, leader=leader, day=week.start, start=time(8),
                         content="Dự hội nghị", place="Hội trường Tỉnh ủy")  # fmt: skip
    Entry.objects.create(week=week, day=week.start, start=time(14), content="Họp giao ban")
    week_publish(week=week)
    topic = NewsTopic.objects.create(title="Đại hội Đảng bộ tỉnh", lead="Tin bài về Đại hội.")
    article.topic = topic
    article.save()
    return {
        "polls": "/tham-do/",
        "poll": poll.get_absolute_url(),
        "contact": "/lien-he/",
        "questions": "/hoi-dap/",
        "question": message.get_absolute_url(),
        "schedule": "/lich-cong-tac/",
        "schedule-leader": leader.get_absolute_url(),
        "schedule-print": "/lich-cong-tac/in/",
        "topics": "/dong-su-kien/",
        "topic": topic.get_absolute_url(),
    }


def rendered_error_page(kind: str) -> tuple[int, str]:
    """A page shown when something fails, rendered here as the server would send it: 403
    has no reader URL, the outage and 500 pages need a broken database or view."""
    if kind == "403":
        request = RequestFactory().get("/van-ban/bi-khoa/")
        request.user = AnonymousUser()
        request.session = SessionStore()
        return 403, views.permission_denied(request).content.decode()
    if kind == "outage":
        return 503, outage.outage_response().content.decode()
    return 500, loader.render_to_string("500.html")
