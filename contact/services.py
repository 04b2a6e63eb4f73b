"""Writes of the contact app: a reader's message, staff answers, and the mail they cause.

The message (and its mails, as OutgoingMail rows) is committed first; only then is each
mail tried, once, with a short timeout, and whatever fails is retried later by
`manage.py send_contact_mail` (run it from cron every few minutes). A mail is locked while
it is being sent (FOR UPDATE SKIP LOCKED), so the request and a running command never send
it twice.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from contact.models import Department, Message, OutgoingMail
from portal import ratelimit

log = logging.getLogger(__name__)

MAIL_TIMEOUT = 10  # seconds a request waits for the mail server before leaving it to retries
MAX_ATTEMPTS = 10


class MessageRefusedError(Exception):
    def __init__(self, message: str, status: int = 429):
        super().__init__(message)
        self.message = message
        self.status = status


def message_submit(
    *, department: Department, name: str, email: str, phone: str, subject: str, body: str,
    reader: bytes | None,
) -> Message:  # fmt: skip
    """Store a reader's message (validated by ContactForm) and queue the department's
    notice. Raises MessageRefusedError over the sending limit."""
    if reader is not None and not ratelimit.allow(
        "contact", reader, limit=settings.COMMENT_RATE_LIMIT, window=settings.COMMENT_RATE_WINDOW
    ):
        minutes = max(1, settings.COMMENT_RATE_WINDOW // 60)
        raise MessageRefusedError(
            f"Bạn đã gửi quá nhiều thư trong {minutes} phút qua. Vui lòng thử lại sau."
        )
    with transaction.atomic():
        message = Message.objects.create(
            department=department, name=name, email=email, phone=phone, subject=subject,
            body=body, reader=reader,
        )  # fmt: skip
        admin_url = settings.SITE_URL + reverse("admin:contact_message_change", args=[message.pk])
        sender = ", ".join(x for x in (email, phone) if x)
        mail = OutgoingMail.objects.create(
            message=message,
            kind=OutgoingMail.Kind.NOTICE,
            to=", ".join(department.recipient_list),
            subject=f"[{settings.PORTAL_SITE_NAME}] Thư liên hệ: {subject}"[:250],
            body=(
                f"Bộ phận {department.name} nhận được thư liên hệ mới.\n\n"
                f"Người gửi: {name} ({sender})\nTiêu đề: {subject}\n\n{body}\n\n"
                f"Xem và trả lời tại: {admin_url}\n"
            ),
        )
        transaction.on_commit(lambda: mails_send(ids=[mail.pk]))
    return message


def message_answer(*, message: Message, answer: str, user, publish: bool) -> Message:
    """Record the staff answer, mark the message answered and queue the answer mail to the
    sender (when they gave an email)."""
    now = timezone.now()
    with transaction.atomic():
        message.answer = answer
        message.status = Message.Status.ANSWERED
        message.answered_at = now
        message.answered_by = user
        message.is_published = publish
        if message.assigned_to_id is None:
            message.assigned_to = user
        message.save()
        if message.email:
            mail = OutgoingMail.objects.create(
                message=message,
                kind=OutgoingMail.Kind.ANSWER,
                to=message.email,
                subject=f"[{settings.PORTAL_SITE_NAME}] Trả lời: {message.subject}"[:250],
                body=(
                    f"Kính gửi {message.name},\n\n{answer}\n\n"
                    f"--- Thư của bạn ({message.created_at:%d/%m/%Y}) ---\n{message.body}\n"
                ),
            )
            transaction.on_commit(lambda: mails_send(ids=[mail.pk]))
    return message


def mails_send(*, ids=None, limit: int = 200) -> tuple[int, int]:
    """Try the unsent mails (these ids, or every one below MAX_ATTEMPTS, oldest first).
    Returns (sent, failed). Never raises: a mail error is stored on its row."""
    sent = failed = 0
    queryset = OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).filter(
        attempts__lt=MAX_ATTEMPTS
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    candidates = list(queryset.order_by("created_at", "id").values_list("pk", flat=True)[:limit])
    for pk in candidates:
        try:
            ok = _send_one(pk)
        except Exception:  # the database itself: leave the row for the next run
            log.exception("could not send contact mail %s", pk)
            continue
        if ok is True:
            sent += 1
        elif ok is False:
            failed += 1
    return sent, failed


def _send_one(pk: int) -> bool | None:
    """Send one mail under its row lock; None when another process holds it or sent it."""
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .exclude(status=OutgoingMail.Status.SENT)
            .filter(pk=pk)
            .first()
        )
        if mail is None:
            return None
        try:
            connection = get_connection(timeout=MAIL_TIMEOUT)
            EmailMessage(
                subject=mail.subject, body=mail.body, to=[a.strip() for a in mail.to.split(",")],
                connection=connection,
            ).send()  # fmt: skip
        except Exception as error:
            log.warning("contact mail %s failed: %s", pk, error)
            OutgoingMail.objects.filter(pk=pk).update(
                status=OutgoingMail.Status.FAILED,
                attempts=F("attempts") + 1,
                last_error=f"{type(error).__name__}: {error}"[:1000],
            )
            return False
        OutgoingMail.objects.filter(pk=pk).update(
            status=OutgoingMail.Status.SENT, attempts=F("attempts") + 1, last_error="",
            sent_at=timezone.now(),
        )  # fmt: skip
        return True
