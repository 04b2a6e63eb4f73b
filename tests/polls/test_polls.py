"""Polls ("Thăm dò ý kiến"): the page and the sidebar block, one vote per reader kept by
the database, hidden results, bad votes refused with nothing saved, exact counts under 64
concurrent voters, the staff export."""

import secrets
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from polls import services
from polls.models import Answer, Poll, Vote
from tests.conftest import BROWSER_UA, form_tokens, make_user

pytestmark = pytest.mark.django_db


def make_poll(question="Bạn đánh giá thế nào về chất lượng Cổng thông tin?", answers=None, **kw):
    kw.setdefault("opens_at", timezone.now() - timedelta(days=1))
    poll = Poll.objects.create(question=question, **kw)
    for order, text in enumerate(answers or ["Rất tốt", "Tốt", "Cần cải thiện"]):
        Answer.objects.create(poll=poll, text=text, order=order)
    return poll


def vote_url(poll):
    return f"/tham-do/{poll.slug}/binh-chon/"


def ids(poll):
    return list(poll.answers.order_by("order").values_list("pk", flat=True))


def counts(poll):
    poll.refresh_from_db()
    return poll.voter_count, list(poll.answers.order_by("order").values_list("votes", flat=True))


def test_reader_votes_once_and_sees_counts_percentages_and_bars(reader_client):
    poll = make_poll()
    first, second, _ = ids(poll)
    services.poll_vote(poll=poll, answer_ids=[second], voter=b"v" * 16, reader=b"r" * 16)
    response = reader_client.post(vote_url(poll), {"answer": str(first)})
    assert response.status_code == 302
    assert response["Location"] == f"/tham-do/{poll.slug}/#ket-qua"
    html = reader_client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn đã tham gia bình chọn." in html
    assert "Bạn đã bình chọn trong cuộc thăm dò này." in html
    assert "2 người đã bình chọn." in html
    assert "1 phiếu (50,0%)" in html
    assert "0 phiếu (0,0%)" in html
    assert '<progress max="100" value="50.0"' in html
    assert 'name="answer"' not in html.split("<main")[1].split("</main>")[0]  # no form again
    assert counts(poll) == (2, [1, 1, 0])


def test_second_vote_is_refused_even_without_the_cookie(reader_client):
    poll = make_poll()
    first, second, _ = ids(poll)
    assert reader_client.post(vote_url(poll), {"answer": str(first)}).status_code == 302
    again = reader_client.post(vote_url(poll), {"answer": str(second)})
    assert again.status_code == 409
    assert "mỗi bạn đọc chỉ bình chọn một lần" in again.content.decode()
    # The same reader (address and browser) without any cookie: the database refuses it.
    replay = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10")
    assert replay.post(vote_url(poll), {"answer": str(second)}).status_code == 409
    assert counts(poll) == (1, [1, 0, 0])
    assert Vote.objects.count() == 1


def test_multiple_choice_counts_each_answer_and_percent_of_voters(reader_client):
    poll = make_poll(kind=Poll.Kind.MULTIPLE)
    first, second, third = ids(poll)
    response = reader_client.post(vote_url(poll), {"answer": [str(first), str(third)]})
    assert response.status_code == 302
    assert counts(poll) == (1, [1, 0, 1])
    html = reader_client.get(poll.get_absolute_url()).content.decode()
    assert html.count("1 phiếu (100,0%)") == 2


@pytest.mark.parametrize(
    "case, status, message",
    [
        ("closed", 403, "Cuộc thăm dò này đã kết thúc"),
        ("other-poll", 400, "Phương án đã chọn không thuộc cuộc thăm dò này."),
        ("none", 400, "Vui lòng chọn một phương án"),
        ("two-in-single", 400, "chỉ cho chọn một phương án"),
        ("garbage", 400, "Phương án đã chọn không hợp lệ."),
    ],
)
def test_bad_votes_are_refused_with_a_message_and_nothing_saved(reader_client, case, status,
                                                                message):  # fmt: skip
    poll = make_poll()
    other = make_poll("Câu hỏi khác về chuyển đổi số?")
    first, second, _ = ids(poll)
    data = {
        "closed": {"answer": str(first)},
        "other-poll": {"answer": str(ids(other)[0])},
        "none": {},
        "two-in-single": {"answer": [str(first), str(second)]},
        "garbage": {"answer": "1 OR 1=1"},
    }[case]
    if case == "closed":
        Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    response = reader_client.post(vote_url(poll), data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert Vote.objects.count() == 0
    assert counts(poll) == (0, [0, 0, 0])
    assert counts(other) == (0, [0, 0, 0])


def test_results_are_hidden_until_the_poll_closes(reader_client):
    closes = timezone.now() + timedelta(days=2)
    poll = make_poll(closes_at=closes, hide_results=True)
    reader_client.post(vote_url(poll), {"answer": str(ids(poll)[0])})
    html = reader_client.get(poll.get_absolute_url()).content.decode()
    assert "Kết quả được công bố sau khi cuộc thăm dò kết thúc" in html
    assert "phiếu (" not in html
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    html = reader_client.get(poll.get_absolute_url()).content.decode()
    assert "1 phiếu (100,0%)" in html
    assert "Đã kết thúc" in html


def test_hidden_or_future_poll_is_404(reader_client):
    hidden = make_poll("Ẩn", is_active=False)
    future = make_poll("Sắp mở", opens_at=timezone.now() + timedelta(days=1))
    for poll in (hidden, future):
        assert reader_client.get(poll.get_absolute_url()).status_code == 404
        assert reader_client.post(vote_url(poll), {"answer": "1"}).status_code == 404


def test_sidebar_block_shows_the_newest_open_poll_and_votes_from_any_page(reader_client):
    make_poll("Cuộc thăm dò cũ đã đóng", closes_at=timezone.now() - timedelta(hours=1))
    poll = make_poll("Bạn đọc tin trên thiết bị nào?", answers=["Điện thoại", "Máy tính"])
    html = reader_client.get("/").content.decode()
    block = html.split('class="block poll-block"')[1].split("</section>")[0]
    assert "Bạn đọc tin trên thiết bị nào?" in block
    assert "Điện thoại" in block and "Máy tính" in block
    assert f'action="/tham-do/{poll.slug}/binh-chon/"' in block
    assert "csrfmiddlewaretoken" in block


def test_sidebar_block_costs_no_query_once_warm(reader_client, django_assert_num_queries):
    from polls.templatetags.polls_tags import current_poll

    make_poll()
    with django_assert_num_queries(1):  # the newest open poll's answers with their poll
        assert current_poll()["question"]
    with django_assert_num_queries(0):
        assert current_poll()["question"]


def test_a_poll_enters_and_leaves_the_block_at_its_times(reader_client):
    now = timezone.now()
    make_poll("Câu hỏi hẹn giờ?", opens_at=now + timedelta(seconds=1),
              closes_at=now + timedelta(seconds=2))  # fmt: skip
    assert "Câu hỏi hẹn giờ?" not in reader_client.get("/").content.decode()
    time.sleep(max(0.0, (now + timedelta(seconds=1) - timezone.now()).total_seconds()) + 0.1)
    assert "Câu hỏi hẹn giờ?" in reader_client.get("/").content.decode()
    time.sleep(max(0.0, (now + timedelta(seconds=2) - timezone.now()).total_seconds()) + 0.1)
    assert "Câu hỏi hẹn giờ?" not in reader_client.get("/").content.decode()


def test_staff_change_shows_in_the_block_at_once(reader_client):
    poll = make_poll("Câu hỏi ban đầu?")
    assert "Câu hỏi ban đầu?" in reader_client.get("/").content.decode()
    poll.question = "Câu hỏi đã sửa?"
    poll.save()
    assert "Câu hỏi đã sửa?" in reader_client.get("/").content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_poll_pages_queries_do_not_grow(reader_client, django_assert_num_queries, rows):
    for i in range(rows):
        make_poll(f"Câu hỏi số {i}?", answers=[f"Phương án {j}" for j in range(10)])
    poll = Poll.objects.first()
    reader_client.get("/tham-do/")  # warm the site-wide blocks
    # count; page of polls
    with django_assert_num_queries(2):
        assert reader_client.get("/tham-do/").status_code == 200
    # the poll; its answers
    with django_assert_num_queries(2):
        assert reader_client.get(poll.get_absolute_url()).status_code == 200
    reader_client.post(vote_url(poll), {"answer": str(ids(poll)[0])})
    # the poll; its answers; whether this browser voted (it holds the voter cookie)
    with django_assert_num_queries(3):
        assert reader_client.get(poll.get_absolute_url()).status_code == 200


def test_poll_is_in_the_sitemap(reader_client):
    poll = make_poll()
    xml = reader_client.get("/sitemap-polls.xml").content.decode()
    assert f"/tham-do/{poll.slug}/" in xml


def test_admin_refuses_a_poll_with_one_answer_and_exports_results(client, settings):
    settings.EXPORTS_BACKGROUND = False
    admin = make_user("quantri", superuser=True)
    client.force_login(admin)
    data = {
        "question": "Một phương án thôi?", "slug": "", "kind": "single",
        "opens_at_0": "01/12/2026", "opens_at_1": "08:00:00", "is_active": "on",
        "answers-TOTAL_FORMS": "1", "answers-INITIAL_FORMS": "0",
        "answers-MIN_NUM_FORMS": "2", "answers-MAX_NUM_FORMS": "10",
        "answers-0-text": "Duy nhất", "answers-0-order": "0",
    }  # fmt: skip
    response = client.post("/admin/polls/poll/add/", data)
    assert response.status_code == 200
    assert Poll.objects.count() == 0
    poll = make_poll()
    first = ids(poll)[0]
    services.poll_vote(poll=poll, answer_ids=[first], voter=b"v" * 16, reader=b"r" * 16)
    response = client.get(f"/admin/polls/answer/xuat/csv/?poll__id__exact={poll.pk}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Rất tốt" in text and "Cần cải thiện" in text
    line = next(row for row in text.splitlines() if "Rất tốt" in row)
    assert line.endswith(",1,1")


@pytest.mark.django_db(transaction=True)
def test_64_concurrent_voters_are_counted_exactly():
    poll = make_poll(kind=Poll.Kind.MULTIPLE, answers=["A", "B", "C", "D"])
    answer_ids = ids(poll)
    n = 64
    chosen = [[answer_ids[i % 4], answer_ids[(i + 1) % 4]] for i in range(n)]
    barrier = threading.Barrier(n)
    errors = []
    # 64 voters need 64 connections at once: end the idle ones earlier tests' threads left
    # on the test database (the server allows 100), so that none of the voters is refused.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND pid <> pg_backend_pid() AND state = 'idle'"
        )

    def vote(i):
        try:
            barrier.wait(timeout=30)
            services.poll_vote(
                poll=poll, answer_ids=chosen[i], voter=secrets.token_bytes(16),
                reader=secrets.token_bytes(16),
            )  # fmt: skip
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(n)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    assert errors == []
    assert counts(poll) == (64, [32, 32, 32, 32])
    assert Vote.objects.filter(poll=poll).count() == n
    print(f"64 concurrent voters: {elapsed:.2f} s")


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_votes_count_once():
    poll = make_poll()
    first = ids(poll)[0]
    voter, reader = secrets.token_bytes(16), secrets.token_bytes(16)
    barrier = threading.Barrier(16)
    refused = []

    def vote():
        try:
            barrier.wait(timeout=30)
            services.poll_vote(poll=poll, answer_ids=[first], voter=voter, reader=reader)
        except services.AlreadyVotedError:
            refused.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(refused) == 15
    assert counts(poll) == (1, [1, 0, 0])


@pytest.mark.parametrize("page", ["poll", "sidebar"])
def test_a_reader_of_a_cached_poll_page_gets_a_token_of_their_own_and_votes(settings, page):
    """The poll form is part of pages shared by every reader: the cached HTML carries no
    token (it would be the first reader's), the form names where this reader's comes from."""
    settings.PAGE_CACHE = True
    poll = make_poll()
    url = poll.get_absolute_url() if page == "poll" else "/"
    form_class = "poll-form" if page == "poll" else "poll-block-form"
    Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.40.1").get(url)
    reader = Client(
        enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.40.2"
    )
    hit = reader.get(url)
    assert hit["X-Page-Cache"] == "hit"
    html = hit.content.decode()
    assert 'name="csrfmiddlewaretoken" value=""' in html
    token = form_tokens(reader, html, form_class)["csrf"]
    response = reader.post(
        vote_url(poll), {"answer": str(ids(poll)[0]), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert counts(poll) == (1, [1, 0, 0])
