"""Writes of the polls app: a reader's vote and the counters it moves.

A vote is three statements in one transaction: insert the vote row (the unique
constraints refuse a second vote of the same voter or reader, ON CONFLICT DO NOTHING), then
add one to the poll's voter count and one to each chosen answer. The poll row is updated
first, so concurrent votes of a poll queue on that one row lock and then update the
answers one after another: no increment is lost and no two votes can deadlock over the
answers of a multiple-choice poll.
"""

from django.db import connection, transaction
from django.utils import timezone

from polls.models import Answer, Poll, Vote


class VoteRefusedError(Exception):
    """A vote the rules refuse: `message` is for the reader, `status` for the reply."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


class AlreadyVotedError(VoteRefusedError):
    def __init__(self):
        super().__init__(
            "Bạn đã bình chọn trong cuộc thăm dò này rồi; mỗi bạn đọc chỉ bình chọn một lần.",
            409,
        )


def poll_vote(*, poll: Poll, answer_ids: list[int], voter: bytes, reader: bytes) -> Vote:
    """Record one reader's vote. Raises VoteRefusedError (closed poll, no or too many
    answers, an answer of another poll) or AlreadyVotedError; nothing is written then."""
    now = timezone.now()
    if not poll.is_open(now):
        if poll.is_closed(now):
            raise VoteRefusedError("Cuộc thăm dò này đã kết thúc, không nhận bình chọn nữa.", 403)
        raise VoteRefusedError("Cuộc thăm dò này chưa bắt đầu.", 403)
    ids = sorted(set(answer_ids))
    if not ids:
        raise VoteRefusedError("Vui lòng chọn một phương án trước khi bình chọn.")
    if poll.kind == Poll.Kind.SINGLE and len(ids) > 1:
        raise VoteRefusedError("Cuộc thăm dò này chỉ cho chọn một phương án.")
    with transaction.atomic():
        if Answer.objects.filter(poll=poll, pk__in=ids).count() != len(ids):
            raise VoteRefusedError("Phương án đã chọn không thuộc cuộc thăm dò này.")
        vote_table, poll_table = Vote._meta.db_table, Poll._meta.db_table
        answer_table = Answer._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {vote_table} (poll_id, answers, voter, reader, created_at)
                VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id
                """,  # noqa: S608 - table names from the models, values are parameters
                [poll.pk, ids, bytes(voter), bytes(reader), now],
            )
            row = cursor.fetchone()
            if row is None:
                raise AlreadyVotedError
            cursor.execute(
                f"UPDATE {poll_table} SET voter_count = voter_count + 1 WHERE id = %s",  # noqa: S608
                [poll.pk],
            )
            cursor.execute(
                f"UPDATE {answer_table} SET votes = votes + 1 WHERE poll_id = %s AND id = ANY(%s)",  # noqa: S608
                [poll.pk, ids],
            )
    return Vote(pk=row[0], poll=poll, answers=ids, voter=voter, reader=reader, created_at=now)


def poll_results(poll: Poll, answers: list[Answer]) -> dict:
    """The answers with their counts and percentages (of the readers who voted; in a
    multiple-choice poll the percentages may add up to more than 100)."""
    total = poll.voter_count
    rows = []
    for answer in answers:
        share = answer.percent(total)
        rows.append(
            {
                "text": answer.text,
                "votes": answer.votes,
                "percent": f"{share:.1f}".replace(".", ","),
                "value": round(share, 1),
            }
        )
    return {"total": total, "rows": rows}
