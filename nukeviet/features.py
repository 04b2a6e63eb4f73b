# ruff: noqa: S608 - table names come from Source.table() and its checked prefix and language
"""The NukeViet modules beyond news, laws and banners: news topics ("dòng sự kiện"),
`voting`, `contact` (departments, messages and replies), `menu` and `freecontent`.

Called by the importer as the kind "features" (Importer.import_features). These tables are
small (tens to thousands of rows), so rows are written one by one, each remembered in
LegacyLink: a second run updates what changed and adds nothing twice. NukeViet stores text
entity-encoded (`&quot;`, `&#039;`); titles go through the importer's `plain`, rich text
(free content) through the portal's sanitiser when the block is saved.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from contact.models import Department, Message
from news.models import Article, Topic
from nukeviet.models import LegacyLink
from nukeviet.source import MalformedRowError, text, timestamp
from pages.models import FreeBlock, MenuItem, validate_menu_link
from polls.models import Answer, Poll
from portal.text import vn_slugify

if TYPE_CHECKING:
    from nukeviet.importer import Importer

K = LegacyLink.Kind


def import_all(importer: Importer) -> None:
    for step in (topics, voting, contact, menu, freecontent):
        step(importer)


def _plain(value, column: str = "") -> str:
    from nukeviet.importer import plain

    return plain(text(value, column))


def _remember(kind: str, nv_id: int, obj, alias: str = "", **fk) -> bool:
    """Link the row to its object; False when it was linked already (not created now)."""
    values = {"alias": alias[:255], **fk} if fk else {"alias": alias[:255], "object_id": obj.pk}
    _link, created = LegacyLink.objects.update_or_create(kind=kind, nv_id=nv_id, defaults=values)
    return created


def _known(kind: str) -> dict[int, int]:
    rows = LegacyLink.objects.filter(kind=kind).values_list("nv_id", "object_id", "topic_id")
    return {nv: obj or topic for nv, obj, topic in rows}


def topics(importer: Importer) -> None:
    src, progress = importer.src, importer.progress
    table = src.table("topics")
    if not src.has(table):
        return
    known = _known(K.TOPIC)
    for row in src.all(f"SELECT * FROM `{table}` ORDER BY topicid"):
        nv_id = int(row["topicid"])
        try:
            title = _plain(row.get("title"), "title")[:250]
            alias = text(row.get("alias"), "alias")
            lead = _plain(row.get("description"), "description")[:2000]
        except MalformedRowError as exc:
            progress.skip("topic", nv_id, str(exc))
            continue
        if not title:
            progress.skip("topic", nv_id, "không có tên")
            continue
        topic = Topic.objects.filter(pk=known.get(nv_id)).first() or Topic()
        outcome = "updated" if topic.pk else "created"
        if not topic.pk:
            slug = vn_slugify(alias or title, 240) or f"dong-su-kien-{nv_id}"
            if Topic.objects.filter(slug=slug).exists():
                slug = f"{slug}-{nv_id}"
            topic.slug = slug
        topic.title, topic.lead = title, lead
        topic.order = int(row.get("weight") or 0)
        added = timestamp(row.get("add_time"), "add_time")
        if added and outcome == "created":
            topic.starts_on = timezone.localdate(added)
        topic.save()
        _remember(K.TOPIC, nv_id, topic, alias=alias, topic=topic)
        progress.add("topic", outcome)
    # Articles of each topic: the news rows' topicid, through the articles' own links.
    rows_table = src.table("rows")
    if not src.has(rows_table) or "topicid" not in src.columns(rows_table):
        return
    by_topic: dict[int, list[int]] = defaultdict(list)
    for row in src.all(f"SELECT id, topicid FROM `{rows_table}` WHERE topicid > 0"):
        by_topic[int(row["topicid"])].append(int(row["id"]))
    topic_of = _known(K.TOPIC)
    for nv_topic, nv_articles in by_topic.items():
        if nv_topic not in topic_of:
            continue
        articles = LegacyLink.objects.filter(kind=K.ARTICLE, nv_id__in=nv_articles)
        Article.objects.filter(pk__in=articles.values("article_id")).update(
            topic_id=topic_of[nv_topic]
        )


def voting(importer: Importer) -> None:
    src, progress = importer.src, importer.progress
    polls_t = f"{src.prefix}_{src.lang}_voting"
    rows_t = f"{polls_t}_rows"
    if not (src.has(polls_t) and src.has(rows_t)):
        return
    answers = defaultdict(list)
    for row in src.all(f"SELECT * FROM `{rows_t}` ORDER BY id"):
        answers[int(row["vid"])].append(row)
    known = _known(K.POLL)
    for row in src.all(f"SELECT * FROM `{polls_t}` ORDER BY vid"):
        nv_id = int(row["vid"])
        try:
            question = _plain(row.get("question"), "question")[:300]
            texts = [(_plain(a.get("title"), "title")[:250], int(a.get("hitstotal") or 0))
                     for a in answers[nv_id]]  # fmt: skip
            opens = timestamp(row.get("publ_time"), "publ_time") or timezone.now()
            closes = timestamp(row.get("exp_time"), "exp_time")
        except MalformedRowError as exc:
            progress.skip("poll", nv_id, str(exc))
            continue
        texts = [(t, hits) for t, hits in texts if t]
        if not question or not 2 <= len(texts) <= 10:
            progress.skip("poll", nv_id, f"cần câu hỏi và 2-10 phương án (có {len(texts)})")
            continue
        if nv_id in known and Poll.objects.filter(pk=known[nv_id]).exists():
            progress.add("poll", "unchanged")  # votes go on here; the old counts stay as imported
            continue
        multiple = int(row.get("acceptcm") or 1) > 1
        hits = [h for _t, h in texts]
        with transaction.atomic():
            poll = Poll.objects.create(
                question=question, opens_at=opens,
                closes_at=closes if closes and closes > opens else None,
                kind=Poll.Kind.MULTIPLE if multiple else Poll.Kind.SINGLE,
                is_active=int(row.get("act") or 0) == 1,
                # NukeViet keeps only each answer's total: one voter per vote in a single
                # choice poll; in a multiple choice one at least as many as the top answer.
                voter_count=max(hits) if multiple else sum(hits),
            )  # fmt: skip
            Answer.objects.bulk_create(
                Answer(poll=poll, text=t, order=i, votes=h) for i, (t, h) in enumerate(texts)
            )
            _remember(K.POLL, nv_id, poll)
        progress.add("poll", "created")


def contact(importer: Importer) -> None:
    src, progress = importer.src, importer.progress
    base = f"{src.prefix}_{src.lang}_contact"
    if not src.has(f"{base}_department"):
        return
    departments = _known(K.DEPARTMENT)
    for row in src.all(f"SELECT * FROM `{base}_department` ORDER BY id"):
        nv_id = int(row["id"])
        try:
            name = _plain(row.get("full_name"), "full_name")[:150]
            emails = text(row.get("email"), "email").replace(";", ",")
        except MalformedRowError as exc:
            progress.skip("department", nv_id, str(exc))
            continue
        department = Department.objects.filter(pk=departments.get(nv_id)).first() or Department()
        outcome = "updated" if department.pk else "created"
        department.name = name or f"Bộ phận {nv_id}"
        department.order = int(row.get("weight") or 0)
        department.recipients = emails.strip() or settings.DEFAULT_FROM_EMAIL
        # Without an address of its own, it does not receive readers' mail until staff add one.
        department.is_active = int(row.get("act") or 0) == 1 and bool(emails.strip())
        department.save()
        _remember(K.DEPARTMENT, nv_id, department)
        departments[nv_id] = department.pk
        progress.add("department", outcome)
    if not src.has(f"{base}_send"):
        return
    replies = {}
    if src.has(f"{base}_reply"):
        for row in src.all(f"SELECT * FROM `{base}_reply` ORDER BY id"):
            replies[int(row["id"])] = row
    known = _known(K.CONTACT_MESSAGE)
    for row in src.all(f"SELECT * FROM `{base}_send` ORDER BY id"):
        nv_id = int(row["id"])
        if nv_id in known:
            progress.add("contact_message", "unchanged")
            continue
        department_id = departments.get(int(row.get("cid") or 0))
        if department_id is None:
            progress.skip("contact_message", nv_id, "bộ phận không còn")
            continue
        try:
            sent = timestamp(row.get("send_time"), "send_time") or timezone.now()
            reply = replies.get(nv_id)
            answer = _plain(reply.get("reply_content"), "reply_content") if reply else ""
            message = Message(
                department_id=department_id,
                name=_plain(row.get("sender_name"), "sender_name")[:100] or "Bạn đọc",
                email=text(row.get("sender_email"), "sender_email")[:254],
                phone=text(row.get("sender_phone"), "sender_phone")[:20],
                subject=_plain(row.get("title"), "title")[:200] or "(không tiêu đề)",
                body=_plain(row.get("content"), "content"),
                created_at=sent,
                answer=answer,
                answered_at=(timestamp(reply.get("reply_time"), "reply_time") if reply else None),
            )
        except MalformedRowError as exc:
            progress.skip("contact_message", nv_id, str(exc))
            continue
        if answer:
            message.status = Message.Status.ANSWERED
        elif int(row.get("is_processed") or 0) or int(row.get("is_read") or 0):
            message.status = Message.Status.HANDLING
        with transaction.atomic():
            message.save()
            _remember(K.CONTACT_MESSAGE, nv_id, message)
        progress.add("contact_message", "created")


def menu(importer: Importer) -> None:
    """The site's first menu (NukeViet's "Top Menu"), two levels; deeper items are reported."""
    src, progress = importer.src, importer.progress
    menus_t = f"{src.prefix}_{src.lang}_menu"
    rows_t = f"{menus_t}_rows"
    if not (src.has(menus_t) and src.has(rows_t)):
        return
    first = src.all(f"SELECT id FROM `{menus_t}` ORDER BY id LIMIT 1")
    if not first:
        return
    rows = src.all(f"SELECT * FROM `{rows_t}` WHERE mid = %s ORDER BY parentid, weight, id",
                   [int(first[0]["id"])])  # fmt: skip
    known = _known(K.MENU_ITEM)
    portal_of: dict[int, int] = {}
    level: dict[int, int] = {}
    for row in rows:
        nv_id, parent = int(row["id"]), int(row.get("parentid") or 0)
        level[nv_id] = 1 if parent == 0 else level.get(parent, 99) + 1
        if level[nv_id] > 2:
            progress.skip("menu_item", nv_id, "menu mới chỉ có hai cấp")
            continue
        try:
            title = _plain(row.get("title"), "title")[:100]
            link = text(row.get("link"), "link").strip().replace("&amp;", "&")
        except MalformedRowError as exc:
            progress.skip("menu_item", nv_id, str(exc))
            continue
        try:
            validate_menu_link(link)
        except Exception:
            progress.skip("menu_item", nv_id, f"liên kết không dùng được: {link[:80]}")
            continue
        item = MenuItem.objects.filter(pk=known.get(nv_id)).first() or MenuItem()
        outcome = "updated" if item.pk else "created"
        item.title, item.url = title or link, link
        item.order = int(row.get("weight") or 0)
        item.is_active = int(row.get("status") if row.get("status") is not None else 1) == 1
        item.parent_id = portal_of.get(parent) if parent else None
        item.save()
        _remember(K.MENU_ITEM, nv_id, item)
        portal_of[nv_id] = item.pk
        progress.add("menu_item", outcome)


def freecontent(importer: Importer) -> None:
    src, progress = importer.src, importer.progress
    rows_t = f"{src.prefix}_{src.lang}_freecontent_rows"
    if not src.has(rows_t):
        return
    known = _known(K.FREE_BLOCK)
    for row in src.all(f"SELECT * FROM `{rows_t}` ORDER BY bid, id"):
        nv_id = int(row["id"])
        try:
            title = _plain(row.get("title"), "title")[:150]
            body = text(row.get("description"), "description")
            link = text(row.get("link"), "link").strip()
        except MalformedRowError as exc:
            progress.skip("free_block", nv_id, str(exc))
            continue
        from nukeviet.importer import valid_url

        if not body.strip() and title and valid_url(link):
            body = f'<p><a href="{valid_url(link)}">{title}</a></p>'
        if not body.strip():
            progress.skip("free_block", nv_id, "không có nội dung")
            continue
        block = FreeBlock.objects.filter(pk=known.get(nv_id)).first() or FreeBlock()
        outcome = "updated" if block.pk else "created"
        block.title, block.body = title, body  # sanitised by FreeBlock.save
        block.position = FreeBlock.Position.SIDEBAR
        block.is_active = int(row.get("status") if row.get("status") is not None else 1) == 1
        block.save()
        _remember(K.FREE_BLOCK, nv_id, block)
        progress.add("free_block", outcome)
