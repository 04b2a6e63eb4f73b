"""Contact ("Liên hệ") and questions ("Hỏi đáp"): the message is saved before any mail,
the comment form's defences apply, failed mail is retried and shown in the admin, staff
answer by email and publish, readers search without diacritics and by field."""

import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from comments import captcha, spam
from contact import services
from contact.forms import FORM_NAME
from contact.models import Department, Message, OutgoingMail
from stats import counting
from tests.conftest import BROWSER_UA, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.COMMENT_CAPTCHA = False
    settings.COMMENT_MIN_SECONDS = 3
    settings.COMMENT_RATE_LIMIT = 5


@pytest.fixture
def department(db):
    return Department.objects.create(
        name="Phòng Tuyên truyền", recipients="tuyentruyen@example.vn, truongphong@example.vn"
    )


def form_data(dept, **overrides):
    data = {
        "department": str(dept.pk), "name": "Trần Thị Bình", "email": "binh@example.vn",
        "phone": "", "subject": "Hỏi về lịch tiếp công dân",
        "body": "Xin cho biết lịch tiếp công dân tháng này của Ban.", "website": "",
        "opened": spam.make_form_token(FORM_NAME, issued_at=time.time() - 10),
    }  # fmt: skip
    data.update(overrides)
    return data


def test_message_is_saved_and_the_department_told(reader_client, department,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = reader_client.post("/lien-he/", form_data(department))
    assert response.status_code == 302
    html = reader_client.get(response["Location"]).content.decode()
    assert "Thư đã được gửi đến Phòng Tuyên truyền" in html
    message = Message.objects.get()
    assert (message.subject, message.status) == ("Hỏi về lịch tiếp công dân", "new")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tuyentruyen@example.vn", "truongphong@example.vn"]
    assert "Xin cho biết lịch tiếp công dân" in mail.outbox[0].body
    assert OutgoingMail.objects.get().status == "sent"


def test_mail_server_down_keeps_the_message_and_the_command_retries(
    reader_client, department, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = reader_client.post("/lien-he/", form_data(department))
    assert response.status_code == 302
    assert Message.objects.count() == 1
    queued = OutgoingMail.objects.get()
    assert queued.status == "failed" and queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error
    # The admin shows it.
    client = Client()
    client.force_login(make_user("quantri", superuser=True))
    html = client.get("/admin/contact/message/").content.decode()
    assert "1 thư chưa gửi được" in html
    # The mail server is back: the command sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_contact_mail", verbosity=0)
    queued.refresh_from_db()
    assert queued.status == "sent" and queued.attempts == 2
    assert len(mail.outbox) == 1
    assert "Đã gửi" in client.get("/admin/contact/message/").content.decode()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"body": "x" * 100_000}, "Nội dung dài tối đa 5.000 ký tự"),
        ({"body": "Xem <script>alert(1)</script> nhé"}, "không được chứa mã HTML"),
        ({"department": "999999"}, "Bộ phận đã chọn không có trong danh sách"),
        ({"department": "1 OR 1=1"}, "Bộ phận đã chọn không có trong danh sách"),
        ({"email": "", "phone": ""}, "Vui lòng để lại email hoặc số điện thoại"),
        ({"website": "http://spam.example"}, "dấu hiệu được điền tự động"),
        ({"opened": "now"}, "Bạn gửi quá nhanh"),
        ({"opened": spam.make_form_token(7, issued_at=time.time() - 10)}, "Biểu mẫu không thuộc"),
    ],
)
def test_bad_messages_are_refused_with_a_message_and_nothing_saved(reader_client, department,
                                                                   overrides, message):  # fmt: skip
    if overrides.get("opened") == "now":
        overrides = {"opened": spam.make_form_token(FORM_NAME)}
    response = reader_client.post("/lien-he/", form_data(department, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Message.objects.count() == 0
    assert OutgoingMail.objects.count() == 0
    assert len(mail.outbox) == 0


def test_inactive_department_cannot_be_chosen(reader_client, department):
    department.is_active = False
    department.save()
    assert reader_client.post("/lien-he/", form_data(department)).status_code == 400
    assert Message.objects.count() == 0


def test_captcha_when_turned_on(reader_client, department, settings):
    settings.COMMENT_CAPTCHA = True
    assert 'name="captcha_token"' in reader_client.get("/lien-he/").content.decode()
    wrong = reader_client.post("/lien-he/", form_data(department, captcha="AAAAA"))
    assert wrong.status_code == 400
    assert "Mã xác nhận chưa đúng" in wrong.content.decode()
    token = captcha.new_token(FORM_NAME)
    right = form_data(department, captcha_token=token, captcha=captcha.answer(token))
    assert reader_client.post("/lien-he/", right).status_code == 302


def test_sending_limit_per_reader(reader_client, department):
    for i in range(5):
        data = form_data(department, subject=f"Câu hỏi số {i + 1}")
        assert reader_client.post("/lien-he/", data).status_code == 302
    over = reader_client.post("/lien-he/", form_data(department))
    assert over.status_code == 429
    assert "Bạn đã gửi quá nhiều thư" in over.content.decode()
    assert Message.objects.count() == 5


def test_staff_answer_goes_by_email_and_is_published_searchable_without_diacritics(
    reader_client, department, django_capture_on_commit_callbacks
):
    other = Department.objects.create(name="Văn phòng", recipients="vanphong@example.vn")
    reader_client.post("/lien-he/", form_data(department))
    message = Message.objects.get()
    mail.outbox.clear()
    staff = Client()
    staff.force_login(make_user("quantri", superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
        f"/admin/contact/message/{message.pk}/change/",
        {"status": "handling", "assigned_to": "", "is_published": "on",
         "answer": "Ban tiếp công dân vào thứ Năm hằng tuần tại trụ sở.",
         "mails-TOTAL_FORMS": "1", "mails-INITIAL_FORMS": "1", "mails-MIN_NUM_FORMS": "0",
         "mails-MAX_NUM_FORMS": "1000",
         "mails-0-id": str(OutgoingMail.objects.get().pk), "mails-0-message": str(message.pk)},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    message.refresh_from_db()
    assert message.status == "answered" and message.is_published
    assert mail.outbox[0].to == ["binh@example.vn"]
    assert "thứ Năm hằng tuần" in mail.outbox[0].body

    html = reader_client.get("/hoi-dap/?q=tiep+cong+dan").content.decode()
    assert "Hỏi về lịch tiếp công dân" in html
    html = reader_client.get(f"/hoi-dap/?linh-vuc={other.slug}").content.decode()
    assert "Hỏi về lịch tiếp công dân" not in html
    html = reader_client.get(f"/hoi-dap/?linh-vuc={department.slug}").content.decode()
    assert "Hỏi về lịch tiếp công dân" in html
    page = reader_client.get(message.get_absolute_url()).content.decode()
    assert "thứ Năm hằng tuần" in page
    assert "binh@example.vn" not in page  # never the sender's contact details


def test_unpublished_or_unanswered_question_is_404(reader_client, department):
    message = services.message_submit(
        department=department, name="An", email="an@example.vn", phone="", subject="Chưa trả lời",
        body="Nội dung câu hỏi.", reader=None,
    )  # fmt: skip
    assert reader_client.get(message.get_absolute_url()).status_code == 404
    assert "Chưa trả lời" not in reader_client.get("/hoi-dap/").content.decode()


def test_unknown_field_is_400_with_a_message(reader_client, department):
    response = reader_client.get("/hoi-dap/?linh-vuc=khong-co")
    assert response.status_code == 400
    assert "Lĩnh vực đã chọn không có trong danh sách." in response.content.decode()


def _published(department, n):
    for i in range(n):
        message = services.message_submit(
            department=department, name=f"Người hỏi {i}", email="", phone="0912345678",
            subject=f"Câu hỏi về chuyển đổi số {i}", body="Nội dung câu hỏi.", reader=None,
        )  # fmt: skip
        services.message_answer(message=message, answer="Trả lời.", user=None, publish=True)
    return message


@pytest.mark.parametrize("rows", [3, 25])
def test_question_pages_queries_do_not_grow(reader_client, department, rows,
                                            django_assert_num_queries):  # fmt: skip
    last = _published(department, rows)
    reader_client.get("/hoi-dap/")  # warm the site-wide blocks
    # count; page with departments; the departments of the filter
    with django_assert_num_queries(3):
        assert reader_client.get("/hoi-dap/").status_code == 200
    with django_assert_num_queries(3):
        assert reader_client.get("/hoi-dap/?q=chuyen+doi+so").status_code == 200
    reader_client.get(last.get_absolute_url())
    with django_assert_num_queries(1):  # the question with its department
        assert reader_client.get(last.get_absolute_url()).status_code == 200
    with django_assert_num_queries(1):  # the active departments
        assert reader_client.get("/lien-he/").status_code == 200


def test_question_views_are_counted(reader_client, department):
    message = _published(department, 1)
    reader_client.get(message.get_absolute_url())
    counting.buffer.flush()
    message.refresh_from_db()
    assert message.view_count == 1
    assert (
        "1 lượt xem"
        in Client(HTTP_USER_AGENT=BROWSER_UA).get(message.get_absolute_url()).content.decode()
    )


def test_questions_are_in_the_sitemap(reader_client, department):
    message = _published(department, 1)
    assert f"/hoi-dap/{message.pk}/" in reader_client.get("/sitemap-questions.xml").content.decode()
