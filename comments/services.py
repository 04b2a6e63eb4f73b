"""Writes of the comments app. Every counter a reader or a moderator changes is written
here, in the transaction of the change:

- news.Article.comment_count (approved comments a reader can see, replies included): +1 in
  one UPDATE when a comment is published at once; recounted from the comments, under the
  article's row lock, when a moderator approves, rejects, marks as spam, deletes or replies;
- RatingTotal: one INSERT ... ON CONFLICT DO UPDATE chained to the vote's INSERT, so a vote
  and its share of the total are written together or not at all.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from comments import fragments, moderation
from comments.models import Comment, Rating, RatingTotal
from news.models import Article
from portal import roles

log = logging.getLogger(__name__)

# Posting limits per anonymous reader (settings may tune the first two).
PER_ARTICLE_SECONDS = 60
NOTIFY_CACHE_KEY = "comments:moderators-notified"
NOTIFY_INTERVAL = 15 * 60
# pg_advisory_xact_lock(classid, objid): our class id ("CMNT"), the reader's first 4 bytes.
_LOCK_CLASS = 0x434D4E54
_ADDRESS_LOCK_CLASS = 0x41444452  # "ADDR": comments of one address
_RATING_LOCK_CLASS = 0x52415445  # "RATE": votes of one address on one article


class CommentRefusedError(Exception):
    """A comment the limits refuse; `message` is for the reader, `status` for the reply."""

    def __init__(self, message: str, status: int = 429):
        super().__init__(message)
        self.message = message
        self.status = status


def _lock_reader(reader: bytes, lock_class: int = _LOCK_CLASS) -> None:
    """Serialise one reader's (or address's) posts, not everybody's: the limit check and
    the insert happen under this lock, so 50 parallel posts cannot all see "0 recent"."""
    objid = int.from_bytes(bytes(reader)[:4], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [lock_class, objid])


def _check_address_limit(address: bytes, now) -> None:
    """Every reader behind one address together (a new user agent is a new reader, not a
    new address): COMMENT_ADDRESS_LIMIT per COMMENT_ADDRESS_WINDOW, see the settings."""
    window = settings.COMMENT_ADDRESS_WINDOW
    recent = Comment.objects.filter(
        address=address, created_at__gte=now - timedelta(seconds=window)
    ).count()
    if recent >= settings.COMMENT_ADDRESS_LIMIT:
        minutes = max(1, window // 60)
        raise CommentRefusedError(
            f"Mạng của bạn đã gửi {recent} ý kiến trong {minutes} phút qua, quá mức cho phép "
            "từ một địa chỉ. Vui lòng thử lại sau."
        )


def _check_limits(reader: bytes, article_id: int, now) -> None:
    window = timedelta(seconds=settings.COMMENT_RATE_WINDOW)
    recent = list(
        Comment.objects.filter(reader=reader, created_at__gte=now - window).values_list(
            "article_id", "created_at"
        )
    )
    per_article_since = now - timedelta(seconds=PER_ARTICLE_SECONDS)
    if any(a == article_id and at >= per_article_since for a, at in recent):
        raise CommentRefusedError(
            "Bạn vừa gửi ý kiến cho bài viết này. Vui lòng đợi một phút rồi gửi tiếp."
        )
    if len(recent) >= settings.COMMENT_RATE_LIMIT:
        minutes = max(1, settings.COMMENT_RATE_WINDOW // 60)
        raise CommentRefusedError(
            f"Bạn đã gửi {len(recent)} ý kiến trong {minutes} phút qua. "
            "Vui lòng thử lại sau ít phút."
        )


def comment_submit(
    *,
    article: Article,
    name: str,
    email: str,
    body: str,
    reader: bytes | None,
    user=None,
    address: bytes | None = None,
) -> Comment:
    """Store a reader's comment (already validated by CommentForm): held for a moderator
    or published at once, by the moderation setting. Raises CommentRefusedError over a limit."""
    if not article.allow_comments:
        raise CommentRefusedError("Bài viết này không nhận ý kiến bạn đọc.", status=403)
    now = timezone.now()
    held = moderation.needs_approval(user)
    with transaction.atomic():
        if address is not None:
            # One lock per address serialises its readers' posts too (a reader's id is made
            # from its address).
            _lock_reader(address, _ADDRESS_LOCK_CLASS)
            _check_address_limit(address, now)
        if reader is not None:
            if address is None:
                _lock_reader(reader)
            _check_limits(reader, article.pk, now)
        comment = Comment.objects.create(
            article=article,
            name=name,
            email=email,
            body=body,
            status=Comment.Status.PENDING if held else Comment.Status.APPROVED,
            reader=reader,
            address=address,
            user=user if user is not None and user.is_authenticated else None,
            created_at=now,
        )
        if held:
            transaction.on_commit(moderators_notify)
        else:
            Article.objects.filter(pk=article.pk).update(comment_count=F("comment_count") + 1)
            _invalidate_on_commit(article.pk)
    return comment


def _lock_article(article_id: int) -> None:
    # FOR NO KEY UPDATE: waits for (and blocks) other counter writes of this article, not
    # the inserts of new comments that only reference it.
    list(
        Article.objects.select_for_update(no_key=True)
        .filter(pk=article_id)
        .values_list("pk", flat=True)
    )


def _invalidate_on_commit(article_id: int) -> None:
    transaction.on_commit(lambda: fragments.invalidate(article_id))


def _recount(article_id: int) -> None:
    """Set the article's count from its comments, and renew its cached list once the
    transaction commits. Run under _lock_article: the statement takes its snapshot after
    the lock, so it sees every change committed before."""
    _invalidate_on_commit(article_id)
    article_table = Article._meta.db_table
    comment_table = Comment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {article_table} SET comment_count = (
                SELECT count(*) FROM {comment_table} c
                LEFT JOIN {comment_table} p ON p.id = c.parent_id
                WHERE c.article_id = %s AND c.status = %s
                  AND (c.parent_id IS NULL OR p.status = %s)
            ) WHERE id = %s
            """,  # noqa: S608 - table names from the models, values are parameters
            [article_id, Comment.Status.APPROVED, Comment.Status.APPROVED, article_id],
        )


def comments_recount(*, article_ids) -> None:
    """Set each article's comment count from its comments (a repair, or after bulk data
    loads that bypass the functions below)."""
    for article_id in sorted(set(article_ids)):
        with transaction.atomic():
            _lock_article(article_id)
            _recount(article_id)


def _articles_of(comment_ids: list[int]) -> list[int]:
    return sorted(
        set(Comment.objects.filter(pk__in=comment_ids).values_list("article_id", flat=True))
    )


def comments_moderate(*, comment_ids, status: str, user=None) -> int:
    """Approve, reject or mark as spam; return how many comments changed status.

    One transaction per article (lock, change, recount): a bulk action over many articles
    never holds two article locks at once, so it cannot deadlock with the view counter.
    """
    if status not in Comment.Status.values:
        raise ValueError(f"unknown status {status!r}")
    ids = [int(i) for i in comment_ids]
    now = timezone.now()
    changed = 0
    for article_id in _articles_of(ids):
        with transaction.atomic():
            _lock_article(article_id)
            changed += (
                Comment.objects.filter(pk__in=ids, article_id=article_id)
                .exclude(status=status)
                .update(status=status, moderated_at=now, moderated_by=user)
            )
            _recount(article_id)
    return changed


def comments_delete(*, comment_ids) -> int:
    """Delete comments (and their replies); return how many rows went."""
    ids = [int(i) for i in comment_ids]
    deleted = 0
    for article_id in _articles_of(ids):
        with transaction.atomic():
            _lock_article(article_id)
            n, _ = Comment.objects.filter(pk__in=ids, article_id=article_id).delete()
            deleted += n
            _recount(article_id)
    return deleted


def comment_reply(*, parent: Comment, user, body: str) -> Comment:
    """A staff reply, published at once under the comment it answers (one level: a reply
    to a reply goes under the same top-level comment)."""
    if parent.parent_id:
        parent = Comment.objects.get(pk=parent.parent_id)
    # Shown with the "Ban biên tập" badge; the account name is never shown to readers.
    name = (user.get_full_name() or "").strip() or settings.PORTAL_SITE_NAME
    with transaction.atomic():
        _lock_article(parent.article_id)
        reply = Comment.objects.create(
            article_id=parent.article_id,
            parent=parent,
            name=name,
            email=user.email or settings.DEFAULT_FROM_EMAIL,
            body=body,
            status=Comment.Status.APPROVED,
            by_staff=True,
            user=user,
            moderated_at=timezone.now(),
            moderated_by=user,
        )
        _recount(parent.article_id)
    return reply


def moderators_notify() -> bool:
    """Email the moderators that comments are waiting; at most once per NOTIFY_INTERVAL
    (the cache is shared by every worker). Never raises: a post must not fail on email."""
    try:
        if not cache.add(NOTIFY_CACHE_KEY, True, NOTIFY_INTERVAL):
            return False
        waiting = Comment.objects.waiting().count()
        recipients = sorted(
            set(
                get_user_model()
                .objects.filter(is_active=True, groups__name=roles.MODERATOR)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )
        if not waiting or not recipients:
            return False
        url = (
            settings.SITE_URL
            + reverse("admin:comments_comment_changelist")
            + f"?status__exact={Comment.Status.PENDING}"
        )
        send_mail(
            subject=f"[{settings.PORTAL_SITE_NAME}] {waiting} bình luận đang chờ duyệt",
            message=(
                f"Có {waiting} ý kiến bạn đọc đang chờ kiểm duyệt.\n\n"
                f"Xem và duyệt tại: {url}\n\n"
                "Thư này gửi tối đa 15 phút một lần."
            ),
            from_email=None,
            recipient_list=recipients,
        )
        return True
    except Exception:
        log.exception("could not email the moderators")
        return False


class AlreadyRatedError(Exception):
    def __init__(self, total: RatingTotal):
        super().__init__("already rated")
        self.total = total


class AddressLimitError(Exception):
    """The address has given the article RATING_ADDRESS_LIMIT votes today."""


def rating_submit(
    *, article: Article, stars: int, voter: bytes, reader: bytes, address: bytes | None = None
) -> RatingTotal:
    """Record one vote and add it to the article's total, in one statement (under the
    lock of the address's votes on the article). Raises
    AlreadyRatedError (with the current total) when this voter or reader has voted already,
    AddressLimitError when the address (its daily id) has given the article
    RATING_ADDRESS_LIMIT votes, whatever user agents they came with."""
    if not 1 <= stars <= 5:
        raise ValueError("stars must be 1 to 5")
    rating_table = Rating._meta.db_table
    total_table = RatingTotal._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if address is not None:
            # The count and the insert of one address's votes on one article, serialised.
            key = int.from_bytes(bytes(address)[:4], "big") ^ article.pk
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [_RATING_LOCK_CLASS, (key + 2**31) % 2**32 - 2**31],
            )
        cursor.execute(
            f"""
            WITH vote AS (
                INSERT INTO {rating_table} (article_id, stars, voter, reader, address, created_at)
                SELECT %s, %s, %s, %s, %s, %s
                WHERE %s::bytea IS NULL OR (
                    SELECT count(*) FROM {rating_table} WHERE article_id = %s AND address = %s
                ) < %s
                ON CONFLICT DO NOTHING
                RETURNING article_id, stars
            )
            INSERT INTO {total_table} AS t (article_id, votes, points)
            SELECT article_id, 1, stars FROM vote
            ON CONFLICT (article_id) DO UPDATE
                SET votes = t.votes + EXCLUDED.votes, points = t.points + EXCLUDED.points
            RETURNING votes, points
            """,  # noqa: S608 - table names from the models, values are parameters
            [
                article.pk, stars, bytes(voter), bytes(reader), address, timezone.now(),
                address, article.pk, address, settings.RATING_ADDRESS_LIMIT,
            ],
        )  # fmt: skip
        row = cursor.fetchone()
    if row is None:
        already = Rating.objects.filter(article=article).filter(
            Q(voter=bytes(voter)) | Q(reader=bytes(reader))
        )
        if address is not None and not already.exists():
            raise AddressLimitError
        total = RatingTotal.objects.filter(article=article).first()
        raise AlreadyRatedError(total or RatingTotal(article=article))
    return RatingTotal(article=article, votes=row[0], points=row[1])


def comments_recount_many(*, article_ids) -> int:
    """Set the comment counts of many articles, 50,000 per statement (after a bulk load
    such as the NukeViet import, which runs before readers can post). Returns how many
    counts changed."""
    ids = sorted(set(article_ids))
    article_table = Article._meta.db_table
    comment_table = Comment._meta.db_table
    changed = 0
    for start in range(0, len(ids), 50_000):
        with connection.cursor() as cursor:
            # The ids as a joined set, not `= ANY(array)`: one hash join over the comments.
            cursor.execute(
                f"""
                WITH ids AS (SELECT unnest(%s::bigint[]) AS id),
                counts AS (
                    SELECT c.article_id, count(*) AS n FROM {comment_table} c
                    JOIN ids ON ids.id = c.article_id
                    LEFT JOIN {comment_table} p ON p.id = c.parent_id
                    WHERE c.status = %s AND (c.parent_id IS NULL OR p.status = %s)
                    GROUP BY c.article_id
                )
                UPDATE {article_table} a SET comment_count = coalesce(counts.n, 0)
                FROM ids LEFT JOIN counts ON counts.article_id = ids.id
                WHERE a.id = ids.id AND a.comment_count IS DISTINCT FROM coalesce(counts.n, 0)
                """,  # noqa: S608 - table names from the models, values are parameters
                [ids[start : start + 50_000], Comment.Status.APPROVED, Comment.Status.APPROVED],
            )
            changed += cursor.rowcount
    return changed


def ratings_set_base(*, base: dict[int, tuple[int, int]]) -> int:
    """Set rating totals to carried-over (votes, points) plus the portal's own votes.

    For an import from the old site, which kept only totals: the total becomes the old
    site's latest figures plus every Rating row readers gave here, so running it again
    neither loses a vote nor adds the old totals twice. Returns how many totals changed.
    """
    if not base:
        return 0
    ids = list(base)
    total_table = RatingTotal._meta.db_table
    rating_table = Rating._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {total_table} AS t (article_id, votes, points)
            SELECT b.id, b.votes + coalesce(r.votes, 0), b.points + coalesce(r.points, 0)
            FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) AS b(id, votes, points)
            LEFT JOIN (
                SELECT article_id, count(*) AS votes, sum(stars) AS points FROM {rating_table}
                WHERE article_id = ANY(%s) GROUP BY article_id
            ) r ON r.article_id = b.id
            WHERE b.votes > 0 OR r.votes IS NOT NULL
               OR EXISTS (SELECT 1 FROM {total_table} x WHERE x.article_id = b.id)
            ON CONFLICT (article_id) DO UPDATE
                SET votes = EXCLUDED.votes, points = EXCLUDED.points
                WHERE (t.votes, t.points) IS DISTINCT FROM (EXCLUDED.votes, EXCLUDED.points)
            """,  # noqa: S608 - table names from the models, values are parameters
            [
                ids,
                [max(0, int(base[i][0])) for i in ids],
                [max(0, int(base[i][1])) for i in ids],
                ids,
            ],
        )
        return cursor.rowcount
