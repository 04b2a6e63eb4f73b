# ruff: noqa: S608 - table names come from Source.table(), which admits only [A-Za-z0-9_]
"""Import a NukeViet 4.x site into the portal (`manage.py import_nukeviet`).

Each source row is first turned into the portal's values in Python (decoded, dated,
sanitised, its files copied); a row that cannot be is reported with its NukeViet id and
skipped. The rest is written in batches (bulk_create / bulk_update, one transaction per
batch); should a batch still fail in the database, it is written again one object at a time,
each in its own savepoint, so one bad row never costs its neighbours nor leaves half an
object.

Every imported row has a LegacyLink (kind, nv_id) with a digest of the values its source row
gave (so a change of the row, or of a file it links that has since appeared, counts): a
second run creates what is new, updates what changed and leaves the rest alone (deletions on
the old site are not carried over). Counters are not part of the digest: they are set on
every run (below).

Counters follow one rule (docs/nukeviet.md): a portal counter is the old site's
latest figure plus what the portal counted itself, written by stats.services and
comments.services, so re-running the import neither loses new views nor adds old ones twice.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import zlib
from collections import defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import nh3
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from banners.models import Banner, BannerPosition
from comments import fragments as comment_fragments
from comments.models import Comment
from comments.services import comments_recount_many, ratings_set_base
from documents import files as doc_files
from documents.models import (
    Document,
    DocumentFile,
    DocumentType,
    ExaminingBody,
    IssuingBody,
    Signer,
    Topic,
)
from documents.storage import document_storage
from news.models import Article, Category, Tag
from news.services import article_make_renditions
from nukeviet.media import Media
from nukeviet.models import LegacyLink
from nukeviet.progress import Progress
from nukeviet.source import MalformedRowError, Source, id_list, timestamp
from nukeviet.source import text as raw_text
from pages.models import Page
from portal import fragments
from portal.richtext import embed_src, sanitize_html
from portal.text import vn_slugify
from stats.models import Baseline
from stats.services import stats_set_baseline, stats_set_counter_base

# Part of every digest: a new importer version that maps rows differently counts every
# row as changed once.
VERSION = "2"
KINDS = [
    "categories", "tags", "articles", "comments", "documents", "pages", "banners", "stats",
    "features",
]  # fmt: skip
K = LegacyLink.Kind
_url = URLValidator(schemes=["http", "https"])
_UNSAFE = re.compile(r"<\s*(script|object|embed|style)\b|\bon\w+\s*=|javascript:", re.I)
# An iframe is unsafe unless it is a video the sanitiser keeps (portal.richtext.embed_src).
_IFRAME_SRC = re.compile(r"<\s*iframe\b[^>]*?(?:\bsrc\s*=\s*[\"']([^\"']*)|>)", re.I)
_BR = re.compile(r"<\s*br\s*/?\s*>|</\s*p\s*>", re.I)


@dataclass
class Options:
    prefix: str = "nv4"
    lang: str = "vi"
    module: str = "news"
    laws_module: str = "laws"
    # Instances of the page module ("Giới thiệu" is `about`): their pages become static pages.
    page_modules: tuple[str, ...] = ("about",)
    uploads: Path | None = None
    old_hosts: tuple[str, ...] = ()
    dry_run: bool = False
    only: list[str] = field(default_factory=lambda: list(KINDS))
    batch: int = 1000
    featured_block: str = "Tin tiêu điểm"
    banner_positions: dict[int, str] = field(default_factory=dict)
    # Categories of the same name or slug as one the portal has: linked to it (the
    # default), or created apart with their own slug.
    keep_apart: bool = False


def digest(*parts) -> str:
    raw = json.dumps([VERSION, *parts], default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def clip(value: str, n: int) -> str:
    return value[:n].strip()


def plain(value: str) -> str:
    """HTML or text to plain text: line breaks kept, tags dropped, entities decoded."""
    value = _BR.sub("\n", value)
    # nh3 drops scripts and styles with their content (strip_tags would keep the code).
    value = nh3.clean(value, tags=set(), clean_content_tags={"script", "style"})
    value = html.unescape(strip_tags(value))
    lines = [" ".join(line.split()) for line in value.replace("\r", "").split("\n")]
    return "\n".join(line for line in lines if line).strip()


def valid_url(value: str) -> str:
    value = value.strip()
    try:
        _url(value)
    except ValidationError:
        return ""
    return value


# NukeViet stores what staff typed entity-encoded (nv_htmlspecialchars and the request
# filter: `Đồng Phú&#x3A; …`, `01-NQ&#x002F;TU`, `Sở GD&amp;ĐT`). A plain-text column is
# decoded exactly once here; these columns hold HTML (or text with <br />) and are decoded
# once by the parser that reads them (plain() or the sanitiser), never here as well.
HTML_COLUMNS = frozenset(
    {"bodyhtml", "bodytext", "hometext", "introtext", "note", "description", "content"}
)


def text(value, column: str = "") -> str:
    """A plain-text column as the text staff typed: UTF-8 decoded, entities decoded once."""
    return html.unescape(raw_text(value, column))


def line(value: str) -> str:
    """Decoded plain text on one line (titles, names, captions)."""
    return " ".join(value.split())


def row_text(row: dict, *names: str) -> dict[str, str]:
    """Decode the named columns of a row (MalformedRowError on bytes that are not UTF-8):
    plain-text columns once here, HTML columns left for their parser."""
    return {n: raw_text(row.get(n), n) if n in HTML_COLUMNS else text(row.get(n), n) for n in names}


@dataclass
class Item:
    nv_id: int
    alias: str
    digest: str
    obj: object
    link_pk: int | None = None
    extra: dict = field(default_factory=dict)


class Importer:
    def __init__(self, source: Source, options: Options, progress: Progress):
        self.src = source
        self.opt = options
        self.progress = progress
        self.media = Media(options.uploads, old_hosts=options.old_hosts, dry_run=options.dry_run)
        self.now = timezone.now()
        self._new_articles: set[int] = set()

    # -- driver -----------------------------------------------------------------------

    def run(self) -> Progress:
        # A real run commits batch by batch (an interrupted run keeps what it wrote, and
        # the next run goes on from there); a dry run is one transaction, rolled back.
        with transaction.atomic() if self.opt.dry_run else nullcontext():
            for kind in KINDS:
                if kind in self.opt.only:
                    getattr(self, f"import_{kind}")()
            if self.opt.dry_run:
                transaction.set_rollback(True)
        if not self.opt.dry_run:
            fragments.bump()
        return self.progress

    def _links(self, kind: str, target: str) -> dict[int, tuple[int, str, int | None]]:
        rows = LegacyLink.objects.filter(kind=kind).values_list("nv_id", "pk", "digest", target)
        return {nv_id: (pk, dig, tid) for nv_id, pk, dig, tid in rows}

    def _write(self, kind: str, items: list[Item], write: Callable[[list[Item]], None]) -> None:
        """Write a batch; on a database error, each item alone in a savepoint."""
        if not items:
            return
        try:
            with transaction.atomic():
                write(items)
        except DatabaseError:
            for item in items:
                self._undo(item)
            for item in items:
                try:
                    with transaction.atomic():
                        write([item])
                except DatabaseError as exc:
                    self._undo(item)
                    item.extra["failed"] = True
                    self.progress.skip(kind, item.nv_id, f"lỗi khi ghi: {str(exc).splitlines()[0]}")

    @staticmethod
    def _undo(item: Item) -> None:
        """Forget the primary key a rolled-back bulk_create gave a new object."""
        if item.extra.get("outcome") == "created" and not item.extra.get("shared"):
            item.obj.pk = None
            item.obj._state.adding = True

    def _link_rows(self, kind: str, items: list[Item], fk: str | None) -> None:
        """Create the links of new items and renew the digests of updated ones."""
        new, old = [], []
        for item in items:
            target = item.obj.pk
            values = {"kind": kind, "nv_id": item.nv_id, "alias": item.alias[:255],
                      "digest": item.digest}  # fmt: skip
            if fk:
                values[f"{fk}_id"] = target
            else:
                values["object_id"] = target
            if item.link_pk:
                old.append(LegacyLink(pk=item.link_pk, **values))
            else:
                new.append(LegacyLink(**values))
        LegacyLink.objects.bulk_create(new)
        if old:
            fields = ["alias", "digest", fk + "_id" if fk else "object_id", "updated_at"]
            for link in old:
                link.updated_at = self.now
            LegacyLink.objects.bulk_update(old, fields)

    def _classify(self, kind: str, item: Item, links: dict) -> str:
        known = links.get(item.nv_id)
        if known is None:
            return "created"
        item.link_pk = known[0]
        item.obj.pk = known[2]
        if known[1] == item.digest and known[2] is not None:
            return "unchanged"
        return "updated" if known[2] is not None else "created"

    # -- news categories --------------------------------------------------------------

    def import_categories(self) -> None:
        table = self.src.table("cat")
        if not self.src.has(table):
            self.progress.warn("category", 0, f"không có bảng {table}")
            return
        cols = self.src.columns(table)
        rows = self.src.all(f"SELECT * FROM `{table}` ORDER BY parentid, weight, catid")
        self.progress.start("category", len(rows))
        by_id = {int(r["catid"]): r for r in rows}

        def chain(catid: int) -> list[int]:
            path, seen = [catid], {catid}
            while True:
                parent = int(by_id[path[0]]["parentid"] or 0)
                if parent == 0 or parent not in by_id or parent in seen:
                    return path
                seen.add(parent)
                path.insert(0, parent)

        links = self._links(K.CATEGORY, "category_id")
        taken = set(Category.objects.values_list("slug", flat=True))
        # Categories that were on the portal before (the demo, another site's import).
        linked = {v[2] for v in links.values()}
        same: dict[str, int] = {}
        for pk, slug, name in Category.objects.values_list("pk", "slug", "name"):
            if pk not in linked:
                same.setdefault(slug, pk)
                same.setdefault(name.lower(), pk)
        # Level 1 first, so level 2 finds its parent's portal id; deeper ones last.
        ordered = sorted(by_id, key=lambda c: (len(chain(c)), c))
        portal_id: dict[int, int] = {}
        for catid in ordered:
            row = by_id[catid]
            self.progress.step(1)
            try:
                t = row_text(row, "title", "alias", "description")
            except MalformedRowError as exc:
                self.progress.skip("category", catid, str(exc))
                continue
            path = chain(catid)
            parent_nv = int(row["parentid"] or 0)
            if parent_nv and parent_nv not in by_id:
                self.progress.warn(
                    "category", catid, f"chuyên mục cha #{parent_nv} không có: thành cấp 1"
                )
            if len(path) > 2:
                # The portal has two levels: a deeper category becomes its level-2 ancestor.
                ancestor = path[1]
                target = portal_id.get(ancestor)
                self.progress.warn(
                    "category", catid,
                    f"cấp {len(path)}: gộp vào chuyên mục cấp 2 #{ancestor}",
                )  # fmt: skip
                if target is None:
                    self.progress.skip(
                        "category", catid, "chuyên mục cấp 2 chứa nó không nhập được"
                    )
                    continue
                portal_id[catid] = target
                item = Item(catid, t["alias"], digest("deep", ancestor), Category(pk=target))
                outcome = self._classify(K.CATEGORY, item, links)
                item.obj.pk = target
                if outcome != "unchanged":
                    self._link_rows(K.CATEGORY, [item], "category")
                self.progress.add("category", "unchanged" if outcome == "unchanged" else outcome)
                continue
            parent_pk = portal_id.get(path[0]) if len(path) == 2 else None
            if len(path) == 2 and parent_pk is None:
                self.progress.skip("category", catid, f"chuyên mục cha #{path[0]} không nhập được")
                continue
            status = int(row.get("status", 1) or 0) if "status" in cols else 1
            name = clip(t["title"], 120) or t["alias"][:120]
            if not name:
                self.progress.skip("category", catid, "không có tên")
                continue
            values = {
                "name": name,
                "parent_id": parent_pk,
                "order": min(int(row.get("weight") or 0), 32767),
                "show_in_menu": status != 0,
                "description": plain(t["description"]),
            }
            item = Item(catid, t["alias"], digest(values), Category(**values))
            outcome = self._classify(K.CATEGORY, item, links)
            slug = vn_slugify(t["alias"] or name, 130) or "chuyen-muc"
            existing = same.get(slug) or same.get(name.lower())
            if outcome == "created" and existing and not self.opt.keep_apart:
                # One rule for every kind: the portal's own category of that name or
                # slug is the one (as it is; a later change of the NukeViet row is
                # written to it like to any imported category).
                item.obj.pk = existing
                same.pop(slug, None)
                same.pop(name.lower(), None)
                try:
                    with transaction.atomic():
                        self._link_rows(K.CATEGORY, [item], "category")
                except DatabaseError as exc:
                    self.progress.skip("category", catid, f"lỗi khi ghi: {exc}")
                    continue
                portal_id[catid] = existing
                self.progress.add("category", "created")
                self.progress.add("category", "merged")
                continue
            if outcome == "created":
                item.obj.slug = self._unique(slug, taken, catid)
            if outcome != "unchanged":
                try:
                    with transaction.atomic():
                        if outcome == "created":
                            item.obj.save()
                        else:
                            Category.objects.filter(pk=item.obj.pk).update(**values)
                        self._link_rows(K.CATEGORY, [item], "category")
                except DatabaseError as exc:
                    self.progress.skip("category", catid, f"lỗi khi ghi: {exc}")
                    continue
            portal_id[catid] = item.obj.pk
            self.progress.add("category", outcome)
        self.progress.finish()

    @staticmethod
    def _unique(base: str, taken: set[str], nv_id: int) -> str:
        slug = base if base not in taken else f"{base}-{nv_id}"
        n = 2
        while slug in taken:
            slug = f"{base}-{nv_id}-{n}"
            n += 1
        taken.add(slug)
        return slug

    # -- tags -------------------------------------------------------------------------

    def import_tags(self) -> None:
        table = self.src.table("tags")
        if not self.src.has(table):
            return
        cols = self.src.columns(table)
        rows = self.src.all(f"SELECT * FROM `{table}` ORDER BY tid")
        keywords = {}
        if self.src.has(self.src.table("tags_id")):
            for r in self.src.all(
                f"SELECT tid, MIN(keyword) AS keyword FROM `{self.src.table('tags_id')}` GROUP BY tid"
            ):
                keywords[int(r["tid"])] = r["keyword"]
        self.progress.start("tag", len(rows))
        links = self._links(K.TAG, "tag_id")
        by_name = {n.lower(): pk for pk, n in Tag.objects.values_list("pk", "name")}
        by_slug = dict(Tag.objects.values_list("slug", "pk"))
        taken = set(by_slug)
        pending: list[Item] = []
        for row in rows:
            tid = int(row["tid"])
            self.progress.step(1)
            try:
                alias = text(row.get("alias"), "alias")
                name = text(row.get("title"), "title") if "title" in cols else ""
                name = name or text(keywords.get(tid), "keyword") or alias.replace("-", " ")
            except MalformedRowError as exc:
                self.progress.skip("tag", tid, str(exc))
                continue
            name = " ".join(name.split())[:80]
            if not name:
                self.progress.skip("tag", tid, "không có tên")
                continue
            item = Item(tid, alias, digest(name), Tag(name=name))
            outcome = item.extra["outcome"] = self._classify(K.TAG, item, links)
            if outcome == "unchanged":
                self.progress.add("tag", outcome)
                continue
            key = name.lower()
            existing = by_name.get(key)
            if existing is None and outcome == "created":
                existing = by_slug.get(vn_slugify(alias or name, 90))
            if outcome == "created" and isinstance(existing, Item):
                item.extra["same_as"] = existing  # two NukeViet tags, one word
            elif outcome == "created" and existing:
                item.obj.pk = existing  # tags are words: share the portal's own
                item.extra["shared"] = True
            elif outcome == "created":
                item.obj.slug = self._unique(vn_slugify(alias or name, 90) or "the", taken, tid)
                by_name[key] = item
            elif existing is None or existing == item.obj.pk:
                item.extra["rename"] = True
                by_name[key] = item.obj.pk
            pending.append(item)
        for start in range(0, len(pending), self.opt.batch):
            batch = pending[start : start + self.opt.batch]
            self._write("tag", batch, self._write_tags)
            for item in batch:
                if item.obj.pk and not item.extra.get("failed"):
                    self.progress.add("tag", item.extra["outcome"])
                    if item.extra.get("shared"):
                        self.progress.add("tag", "merged")
        self.progress.finish()

    def _write_tags(self, items: list[Item]) -> None:
        new = [
            i
            for i in items
            if i.extra["outcome"] == "created" and not {"same_as", "shared"} & set(i.extra)
        ]
        Tag.objects.bulk_create([i.obj for i in new])
        for i in items:
            if "same_as" in i.extra:
                i.obj.pk = i.extra["same_as"].obj.pk
                if i.obj.pk is None:
                    raise DatabaseError("thẻ cùng tên không ghi được")
        Tag.objects.bulk_update([i.obj for i in items if i.extra.get("rename")], ["name"])
        self._link_rows(K.TAG, items, "tag")

    # -- articles ---------------------------------------------------------------------

    def import_articles(self) -> None:
        rows_t, detail_t = self.src.table("rows"), self.src.table("detail")
        if not self.src.has(rows_t):
            self.progress.warn("article", 0, f"không có bảng {rows_t}")
            return
        categories = {k: v[2] for k, v in self._links(K.CATEGORY, "category_id").items()}
        tags = self._tags = {k: v[2] for k, v in self._links(K.TAG, "tag_id").items()}
        sources = {}
        if self.src.has(self.src.table("sources")):
            for r in self.src.all(
                f"SELECT sourceid, title, link FROM `{self.src.table('sources')}`"
            ):
                sources[int(r["sourceid"])] = r
        featured = self._featured_ids()
        links = self._links(K.ARTICLE, "article_id")
        taken = set(Article.objects.values_list("slug", flat=True))
        has_detail = self.src.has(detail_t)
        if not has_detail:
            self.progress.warn(
                "article", 0, f"không có bảng {detail_t}: bài viết không có nội dung"
            )
        select = "r.*"
        join = ""
        if has_detail:
            detail_cols = self.src.columns(detail_t)
            wanted = [c for c in ("bodyhtml", "sourcetext") if c in detail_cols]
            select += "".join(f", d.{c}" for c in wanted)
            join = f"LEFT JOIN `{detail_t}` d ON d.id = r.id"
        total = self.src.count(f"SELECT COUNT(*) FROM `{rows_t}`")
        self.progress.start("article", total)
        sql = f"SELECT {select} FROM `{rows_t}` r {join} ORDER BY r.id"
        for batch in self.src.stream(sql, batch=self.opt.batch):
            self._article_batch(batch, categories, tags, sources, featured, links, taken)
            self.progress.step(len(batch))
        self.progress.finish()

    def _featured_ids(self) -> set[int]:
        cat_t, block_t = self.src.table("block_cat"), self.src.table("block")
        if not (self.src.has(cat_t) and self.src.has(block_t)):
            return set()
        wanted = self.opt.featured_block.lower()
        bids = [
            int(r["bid"])
            for r in self.src.all(f"SELECT bid, title, alias FROM `{cat_t}`")
            if text(r["title"], "title").lower() == wanted or text(r["alias"]).lower() == vn_slugify(wanted)
        ]  # fmt: skip
        if not bids:
            return set()
        marks = ",".join(["%s"] * len(bids))
        return {
            int(r["id"])
            for r in self.src.all(f"SELECT id FROM `{block_t}` WHERE bid IN ({marks})", bids)
        }

    def _batch_tags(self, ids: list[int]) -> dict[int, list[int]]:
        table = self.src.table("tags_id")
        out: dict[int, list[int]] = defaultdict(list)
        if not ids or not self.src.has(table):
            return out
        marks = ",".join(["%s"] * len(ids))
        for r in self.src.all(
            f"SELECT id, tid FROM `{table}` WHERE id IN ({marks}) ORDER BY id, tid", ids
        ):
            out[int(r["id"])].append(int(r["tid"]))
        return out

    def _batch_authors(self, ids: list[int]) -> dict[int, str]:
        table = self.src.table("authorlist")
        out: dict[int, list[str]] = defaultdict(list)
        if not ids or not self.src.has(table) or "pseudonym" not in self.src.columns(table):
            return {}
        marks = ",".join(["%s"] * len(ids))
        for r in self.src.all(
            f"SELECT id, pseudonym FROM `{table}` WHERE id IN ({marks}) ORDER BY id", ids
        ):
            try:
                out[int(r["id"])].append(text(r["pseudonym"]))
            except MalformedRowError:
                continue
        return {k: ", ".join(v) for k, v in out.items()}

    def _article_values(
        self, row, categories, tags_of, sources, featured, authors
    ) -> tuple[dict, list, list, list]:
        t = row_text(row, "title", "alias", "hometext", "homeimgfile", "homeimgalt", "author",
                     "allowed_comm", "bodyhtml", "sourcetext")  # fmt: skip
        nv_id = int(row["id"])
        title = clip(" ".join(t["title"].split()), 250)
        if not title:
            raise MalformedRowError("không có tiêu đề")
        cat_ids = [int(row["catid"] or 0), *id_list(row.get("listcatid"))]
        cats = [categories[c] for c in cat_ids if c in categories]
        if not cats:
            raise MalformedRowError(f"chuyên mục #{row['catid']} không có hoặc không nhập được")
        main, extra = cats[0], sorted(set(cats[1:]) - {cats[0]})
        publish_at = timestamp(row.get("publtime"), "publtime") or timestamp(
            row.get("addtime"), "addtime"
        )
        if publish_at is None:
            raise MalformedRowError("không có thời gian đăng (publtime, addtime đều bằng 0)")
        expires_at = timestamp(row.get("exptime"), "exptime")
        status = self._article_status(int(row.get("status") or 0), expires_at)
        warnings = []
        missing: list[str] = []
        body_src = t["bodyhtml"]
        frames = [html.unescape(src or "") for src in _IFRAME_SRC.findall(body_src)]
        if _UNSAFE.search(body_src) or any(embed_src(src) is None for src in frames):
            warnings.append("nội dung có mã không an toàn (script, iframe, on...=): đã loại bỏ")
        body = sanitize_html(self.media.rewrite(body_src, missing))
        image = ""
        img = t["homeimgfile"].strip()
        if img:
            rel = self.media.relative(img) if "://" in img or "uploads/" in img else None
            if rel is None and "://" not in img:
                rel = str(PurePosixPath(self.opt.module) / img.lstrip("/"))
            if rel is None:
                warnings.append(f"ảnh đại diện ở máy khác, không tải về: {img[:120]}")
            else:
                image = self.media.copy(rel) or ""
                if not image:
                    missing.append(rel)
        source_name, source_url = "", valid_url(t["sourcetext"])
        src = sources.get(int(row.get("sourceid") or 0))
        if src:
            try:
                source_name = clip(text(src["title"], "sources.title"), 200)
                source_url = source_url or valid_url(text(src["link"], "sources.link"))
            except MalformedRowError:
                pass
        if source_url and not source_name:
            source_name = clip(source_url.split("//", 1)[-1].split("/", 1)[0], 200)
        if t["sourcetext"] and not source_url and not source_name:
            source_name = clip(line(t["sourcetext"]), 200)
        summary = plain(t["hometext"])[:2000]
        allow_comments = self._comments_open(t["allowed_comm"], warnings)
        external = int(row.get("external_link") or 0) == 1
        if external and not source_url:
            warnings.append("liên kết ngoài không có địa chỉ nguồn hợp lệ: bài hiện như bài thường")
            external = False
        if status == Article.Status.PUBLISHED and expires_at and expires_at > self.now:
            warnings.append(
                f"hết hạn trên NukeViet lúc {timezone.localtime(expires_at):%d/%m/%Y %H:%M}; "
                "cổng không tự ẩn bài: hãy ẩn bằng tay hoặc nhập lại sau ngày đó"
            )
        values = {
            "title": title,
            "summary": summary,
            "body": body,
            "image": image,
            "image_caption": clip(line(t["homeimgalt"]), 300),
            # As NukeViet shows it: the staff pseudonyms, then the author field.
            "author": clip(", ".join(a for a in (authors.get(nv_id), line(t["author"])) if a), 150),
            "source_name": source_name,
            "source_url": source_url[:500],
            "category_id": main,
            "status": status,
            "publish_at": publish_at,
            "featured": nv_id in featured,
            "allow_comments": allow_comments,
            "external_link": external,
            "allow_rating": int(row.get("allowed_rating") or 0) == 1,
        }
        tag_ids = sorted({self._tags[x] for x in tags_of.get(nv_id, []) if x in self._tags})
        warnings += [f"tệp không có: uploads/{m}" for m in missing]
        return values, extra, tag_ids, warnings

    @staticmethod
    def _comments_open(allowed_comm: str, warnings: list[str]) -> bool:
        """NukeViet's allowed_comm is a list of groups (6 everyone, 5 guests, 4 members,
        1-3 admins, 7 new members, or the site's own). The portal's readers comment without
        an account, so only a list with everyone or guests stays open; a list of members or
        other groups closes comments, and is reported."""
        groups = {g.strip() for g in allowed_comm.split(",") if g.strip() not in ("", "0")}
        if not groups:
            return False
        if groups & {"5", "6"}:
            return True
        warnings.append(
            f"bình luận chỉ cho nhóm {','.join(sorted(groups))} (allowed_comm): đã tắt bình luận"
        )
        return False

    def _article_status(self, nv_status: int, expires_at: datetime | None) -> str:
        S = Article.Status
        if nv_status >= 20:  # "locked by category" (+21)
            return S.HIDDEN
        status = {
            1: S.PUBLISHED, 2: S.PUBLISHED, 3: S.HIDDEN, 0: S.HIDDEN, 4: S.DRAFT,
            5: S.PENDING, 7: S.PENDING, 8: S.PENDING, 10: S.PENDING, 6: S.DRAFT, 9: S.DRAFT,
        }.get(nv_status, S.HIDDEN)  # fmt: skip
        # The portal has no expiry time: an article already past it is hidden; a later
        # expiry is not kept (docs/nukeviet.md).
        if status == S.PUBLISHED and expires_at and expires_at <= self.now:
            return S.HIDDEN
        return status

    def _article_batch(self, batch, categories, tags, sources, featured, links, taken) -> None:
        ids = [int(r["id"]) for r in batch]
        tags_of = self._batch_tags(ids)
        authors = self._batch_authors(ids)
        items: list[Item] = []
        views: dict[int, int] = {}
        ratings: dict[int, tuple[int, int]] = {}
        for row in batch:
            nv_id = int(row["id"])
            try:
                values, extra, tag_ids, warnings = self._article_values(
                    row, categories, tags_of, sources, featured, authors
                )
                alias = text(row.get("alias"), "alias")
            except MalformedRowError as exc:
                self.progress.skip("article", nv_id, str(exc))
                continue
            for w in warnings:
                self.progress.warn("article", nv_id, w)
            dig = digest(values, extra, tag_ids)
            item = Item(
                nv_id, alias, dig, Article(**values), extra={"cats": extra, "tags": tag_ids}
            )
            outcome = self._classify(K.ARTICLE, item, links)
            item.extra["outcome"] = outcome
            if outcome == "created":
                item.obj.slug = self._unique(vn_slugify(alias or values["title"], 240) or "bai-viet",
                                             taken, nv_id)  # fmt: skip
            items.append(item)
        changed = [i for i in items if i.extra["outcome"] != "unchanged"]
        old_images = dict(
            Article.objects.filter(pk__in=[i.obj.pk for i in changed if i.obj.pk]).values_list(
                "pk", "image"
            )
        )
        self._write("article", changed, self._write_articles)
        rows = {int(r["id"]): r for r in batch}
        for item in items:
            outcome = item.extra["outcome"]
            if item.obj.pk is None or item.extra.get("failed"):
                continue
            self.progress.add("article", outcome)
            if outcome == "created":
                self._new_articles.add(item.obj.pk)
            row = rows[item.nv_id]
            views[item.obj.pk] = int(row.get("hitstotal") or 0)
            ratings[item.obj.pk] = (
                int(row.get("click_rating") or 0),
                int(row.get("total_rating") or 0),
            )
            if outcome != "unchanged" and not self.opt.dry_run:
                image = item.obj.image.name if item.obj.image else ""
                if image and old_images.get(item.obj.pk) != image:
                    try:
                        article_make_renditions(article=item.obj)
                    except Exception as exc:  # a broken image file must not stop the import
                        self.progress.warn(
                            "article", item.nv_id, f"không tạo được ảnh thu nhỏ: {exc}"
                        )
        n = stats_set_counter_base(kind="article", base=views)
        n += ratings_set_base(base=ratings)
        self.progress.tallies["article"].counters += n

    def _write_articles(self, items: list[Item]) -> None:
        new = [i for i in items if i.extra["outcome"] == "created"]
        old = [i for i in items if i.extra["outcome"] == "updated"]
        try:
            Article.objects.bulk_create([i.obj for i in new])
        except DatabaseError:
            for i in new:
                i.obj.pk = None
            raise
        if old:
            fields = ["title", "summary", "body", "image", "image_caption", "author", "source_name",
                      "source_url", "external_link", "category", "status", "publish_at",
                      "featured", "allow_comments", "allow_rating", "updated_at"]  # fmt: skip
            for i in old:
                i.obj.updated_at = self.now
            Article.objects.bulk_update([i.obj for i in old], fields)
            ids = [i.obj.pk for i in old]
            Article.tags.through.objects.filter(article_id__in=ids).delete()
            Article.extra_categories.through.objects.filter(article_id__in=ids).delete()
        Article.tags.through.objects.bulk_create(
            [
                Article.tags.through(article_id=i.obj.pk, tag_id=t)
                for i in items
                for t in i.extra["tags"]
            ],
            ignore_conflicts=True,
        )
        Article.extra_categories.through.objects.bulk_create(
            [
                Article.extra_categories.through(article_id=i.obj.pk, category_id=c)
                for i in items
                for c in i.extra["cats"]
            ],
            ignore_conflicts=True,
        )
        self._link_rows(K.ARTICLE, items, "article")

    # -- comments ---------------------------------------------------------------------

    def import_comments(self) -> None:
        table = self.src.comment_table()
        if table is None:
            return
        articles = {k: v[2] for k, v in self._links(K.ARTICLE, "article_id").items()}
        links = self._links(K.COMMENT, "object_id")
        # Threads: the portal has one level of replies, so a reply hangs under its root.
        parent_of = {
            int(r["cid"]): int(r["pid"] or 0)
            for r in self.src.all(
                f"SELECT cid, pid FROM `{table}` WHERE module = %s", [self.opt.module]
            )
        }

        def root(cid: int) -> int | None:
            seen = set()
            while parent_of.get(cid, 0):
                if cid in seen:
                    return None
                seen.add(cid)
                cid = parent_of[cid]
                if cid not in parent_of:
                    return None
            return cid

        portal_of = {nv: v[2] for nv, v in links.items()}
        touched: set[int] = set()
        self.progress.start("comment", len(parent_of))
        # Top-level comments first, in their own pass, so every reply finds its root.
        sqls = [
            f"SELECT cid, id, pid, content, post_time, post_name, post_email, status "
            f"FROM `{table}` WHERE module = %s AND {cond} ORDER BY cid"
            for cond in ("pid = 0", "pid <> 0")
        ]
        batches = (
            b for sql in sqls for b in self.src.stream(sql, [self.opt.module], batch=self.opt.batch)
        )
        for batch in batches:
            items = []
            for row in batch:
                cid = int(row["cid"])
                try:
                    values = self._comment_values(row, articles, root, portal_of)
                except MalformedRowError as exc:
                    self.progress.skip("comment", cid, str(exc))
                    continue
                item = Item(cid, "", digest(values), Comment(**values))
                item.extra["outcome"] = self._classify(K.COMMENT, item, links)
                items.append(item)
            changed = [i for i in items if i.extra["outcome"] != "unchanged"]
            self._write("comment", changed, self._write_comments)
            for item in items:
                if item.obj.pk is None or item.extra.get("failed"):
                    continue
                portal_of[item.nv_id] = item.obj.pk
                self.progress.add("comment", item.extra["outcome"])
                if item.extra["outcome"] != "unchanged":
                    touched.add(item.obj.article_id)
            self.progress.step(len(batch))
        self.progress.finish()
        self.progress.tallies["comment"].counters += comments_recount_many(article_ids=touched)
        # Only articles that readers may have seen before this run can have a cached
        # comment list (and each invalidation costs a cache write).
        stale = touched - self._new_articles
        if not self.opt.dry_run and 0 < len(stale) <= 2000:
            for article_id in stale:
                comment_fragments.invalidate(article_id)
        elif stale and not self.opt.dry_run:
            # A bulk load before go-live: not worth a cache write per article.
            self.progress.warn(
                "comment", 0,
                f"{len(stale)} bài có bình luận mới: danh sách bình luận đã lưu đệm "
                f"tự làm mới trong tối đa {comment_fragments.TIMEOUT // 60} phút",
            )  # fmt: skip

    def _comment_values(self, row, articles, root, portal_of) -> dict:
        t = row_text(row, "content", "post_name", "post_email")
        article_id = articles.get(int(row["id"] or 0))
        if article_id is None:
            raise MalformedRowError(f"bài viết #{row['id']} không được nhập")
        parent = None
        if int(row["pid"] or 0):
            top = root(int(row["cid"]))
            if top is None:
                raise MalformedRowError(f"trả lời cho bình luận #{row['pid']} không còn")
            parent = portal_of.get(top)
            if parent is None:
                raise MalformedRowError(f"bình luận gốc #{top} không nhập được")
        created = timestamp(row.get("post_time"), "post_time")
        if created is None:
            raise MalformedRowError("không có thời gian gửi")
        body = plain(t["content"])[:2000]
        if not body:
            raise MalformedRowError("nội dung trống")
        email = t["post_email"].strip()[:254]
        try:
            validate_email(email)
        except ValidationError:
            email = ""
        approved = int(row.get("status") or 0) == 1
        return {
            "article_id": article_id,
            "parent_id": parent,
            "name": clip(" ".join(t["post_name"].split()), 80) or "Bạn đọc",
            "email": email,
            "body": body,
            "status": Comment.Status.APPROVED if approved else Comment.Status.PENDING,
            "created_at": created,
            "moderated_at": created if approved else None,
        }

    def _write_comments(self, items: list[Item]) -> None:
        new = [i.obj for i in items if i.extra["outcome"] == "created"]
        old = [i.obj for i in items if i.extra["outcome"] == "updated"]
        try:
            Comment.objects.bulk_create(new)
        except DatabaseError:
            for c in new:
                c.pk = None
            raise
        if old:
            Comment.objects.bulk_update(
                old,
                [
                    "article",
                    "parent",
                    "name",
                    "email",
                    "body",
                    "status",
                    "created_at",
                    "moderated_at",
                ],
            )
        self._link_rows(K.COMMENT, items, None)

    # -- documents (module laws) ------------------------------------------------------

    def import_documents(self) -> None:
        mod = self.opt.laws_module
        row_t = self.src.table("row", module=mod)
        if not self.src.has(row_t):
            return
        types = self._terms(K.DOC_TYPE, "doc_type", self.src.table("cat", module=mod), DocumentType)
        issuers = self._terms(
            K.DOC_ISSUER, "doc_issuer", self.src.table("subject", module=mod), IssuingBody
        )
        topics = self._terms(K.DOC_TOPIC, "doc_topic", self.src.table("area", module=mod), Topic)
        self._examiners = self._terms(
            K.DOC_EXAMINER, "doc_examiner", self.src.table("examine", module=mod), ExaminingBody
        )
        signers = self._signers(self.src.table("signer", module=mod))
        areas: dict[int, list[int]] = defaultdict(list)
        if self.src.has(self.src.table("row_area", module=mod)):
            for r in self.src.all(
                f"SELECT row_id, area_id FROM `{self.src.table('row_area', module=mod)}`"
            ):
                if int(r["area_id"]) in topics:
                    areas[int(r["row_id"])].append(topics[int(r["area_id"])])
        links = self._links(K.DOCUMENT, "document_id")
        taken = set(Document.objects.values_list("slug", flat=True))
        relations: list[tuple[int, str, list[int]]] = []
        total = self.src.count(f"SELECT COUNT(*) FROM `{row_t}`")
        self.progress.start("document", total)
        portal_of: dict[int, int] = {}
        for batch in self.src.stream(f"SELECT * FROM `{row_t}` ORDER BY id", batch=200):
            items, views, downloads = [], {}, {}
            for row in batch:
                nv_id = int(row["id"])
                try:
                    values, file_rels, file_urls, warnings = self._document_values(
                        row, types, issuers, signers
                    )
                    alias = text(row.get("alias"), "alias")
                except MalformedRowError as exc:
                    self.progress.skip("document", nv_id, str(exc))
                    continue
                for w in warnings:
                    self.progress.warn("document", nv_id, w)
                relations.append((nv_id, "related", id_list(row.get("relatement"))))
                relations.append((nv_id, "replaces", id_list(row.get("replacement"))))
                topic_ids = sorted(set(areas.get(nv_id, [])))
                dig = digest(
                    values, file_rels, file_urls, topic_ids, row.get("relatement"),
                    row.get("replacement"),
                )  # fmt: skip
                item = Item(
                    nv_id,
                    alias,
                    dig,
                    Document(**values),
                    extra={"files": file_rels, "urls": file_urls, "topics": topic_ids},
                )
                item.extra["outcome"] = self._classify(K.DOCUMENT, item, links)
                if item.extra["outcome"] == "created":
                    base = (
                        vn_slugify(alias or f"{values['code']} {values['title']}", 120) or "van-ban"
                    )
                    item.obj.slug = self._unique(base, taken, nv_id)
                items.append((item, row))
            changed = [i for i, _ in items if i.extra["outcome"] != "unchanged"]
            self._write("document", changed, self._write_documents)
            for item, row in items:
                if item.obj.pk is None or item.extra.get("failed"):
                    continue
                portal_of[item.nv_id] = item.obj.pk
                self.progress.add("document", item.extra["outcome"])
                views[item.obj.pk] = int(row.get("view_hits") or 0)
                downloads[item.obj.pk] = int(row.get("download_hits") or 0)
            n = stats_set_counter_base(kind="document_view", base=views)
            n += stats_set_counter_base(kind="document_download", base=downloads)
            self.progress.tallies["document"].counters += n
            self.progress.step(len(batch))
        self.progress.finish()
        self._document_relations(relations, mod)

    def _terms(self, kind, label, table, model) -> dict[int, int]:
        if not self.src.has(table):
            return {}
        links = self._links(kind, "object_id")
        by_name = {n.lower(): pk for pk, n in model.objects.values_list("pk", "name")}
        by_slug = dict(model.objects.values_list("slug", "pk"))
        taken = set(by_slug)
        out = {}
        rows = self.src.all(f"SELECT * FROM `{table}` ORDER BY id")
        self.progress.read(label, len(rows))
        for row in rows:
            nv_id = int(row["id"])
            try:
                name = " ".join(text(row.get("title"), "title").split())[:200]
                alias = text(row.get("alias"), "alias")
            except MalformedRowError as exc:
                self.progress.skip(label, nv_id, str(exc))
                continue
            if not name:
                self.progress.skip(label, nv_id, "không có tên")
                continue
            order = min(int(row.get("weight") or 0), 32767)
            item = Item(nv_id, alias, digest(name, order), model(name=name, order=order))
            outcome = self._classify(kind, item, links)
            if outcome != "unchanged":
                with transaction.atomic():
                    existing = by_name.get(name.lower())
                    if outcome == "created" and not existing:
                        existing = by_slug.get(vn_slugify(alias or name, 110))
                    if outcome == "created" and existing:
                        item.obj.pk = existing
                        self.progress.add(label, "merged")
                    elif outcome == "created":
                        item.obj.slug = self._unique(
                            vn_slugify(alias or name, 110) or "muc", taken, nv_id
                        )
                        item.obj.save()
                    elif not existing or existing == item.obj.pk:
                        model.objects.filter(pk=item.obj.pk).update(name=name, order=order)
                    self._link_rows(kind, [item], None)
                by_name[name.lower()] = item.obj.pk
            self.progress.add(label, outcome)
            out[nv_id] = item.obj.pk
        return out

    def _signers(self, table) -> dict[int, int]:
        if not self.src.has(table):
            return {}
        links = self._links(K.DOC_SIGNER, "object_id")
        out = {}
        rows = self.src.all(f"SELECT * FROM `{table}` ORDER BY id")
        self.progress.read("doc_signer", len(rows))
        for row in rows:
            nv_id = int(row["id"])
            try:
                name = " ".join(text(row.get("title"), "title").split())[:120]
                position = (
                    ", ".join(
                        p
                        for p in (
                            text(row.get("positions")).strip(),
                            text(row.get("offices")).strip(),
                        )
                        if p
                    )[:200]
                    or "Không rõ chức vụ"
                )
            except MalformedRowError as exc:
                self.progress.skip("doc_signer", nv_id, str(exc))
                continue
            if not name:
                self.progress.skip("doc_signer", nv_id, "không có tên")
                continue
            item = Item(nv_id, "", digest(name, position), Signer(name=name, position=position))
            outcome = self._classify(K.DOC_SIGNER, item, links)
            if outcome != "unchanged":
                with transaction.atomic():
                    signer, _ = Signer.objects.get_or_create(name=name, position=position)
                    item.obj.pk = signer.pk
                    self._link_rows(K.DOC_SIGNER, [item], None)
            self.progress.add("doc_signer", outcome)
            out[nv_id] = item.obj.pk
        return out

    def _document_values(self, row, types, issuers, signers) -> tuple[dict, list, list, list]:
        t = row_text(row, "title", "code", "introtext", "bodytext", "files", "note")
        warnings = []
        title = " ".join(t["title"].split())[:500]
        if not title:
            raise MalformedRowError("không có trích yếu")
        doc_type = types.get(int(row.get("cid") or 0))
        if doc_type is None:
            raise MalformedRowError(f"loại văn bản #{row.get('cid')} không có")
        issuer = issuers.get(int(row.get("sid") or 0))
        if issuer is None:
            raise MalformedRowError(f"cơ quan ban hành #{row.get('sid')} không có")
        issued = timestamp(row.get("publtime"), "publtime")
        if issued is None:
            raise MalformedRowError("không có ngày ban hành")
        issued_on = timezone.localtime(issued).date()
        start = timestamp(row.get("startvalid"), "startvalid")
        effective_on = timezone.localtime(start).date() if start else issued_on
        exp = timestamp(row.get("exptime"), "exptime")
        expires_on = timezone.localtime(exp).date() if exp else None
        if expires_on and expires_on <= effective_on:
            warnings.append("ngày hết hiệu lực không sau ngày hiệu lực: bỏ ngày hết hiệu lực")
            expires_on = None
        body = "\n\n".join(
            p for p in (plain(t["introtext"]), plain(self.media.rewrite(t["bodytext"], []))) if p
        )
        file_rels, file_urls = [], []
        for path in t["files"].split(","):
            path = path.strip()
            if not path:
                continue
            rel = self.media.relative(path) if "uploads/" in path or "://" in path else None
            if rel is None and "://" not in path:
                rel = str(PurePosixPath(self.opt.laws_module) / path.lstrip("/"))
            if rel is None:
                # Kept on another site (admin/content.php accepts any http URL): linked
                # as "Xem văn bản gốc", not copied.
                url = valid_url(path)
                if url and len(url) <= 500:
                    file_urls.append(url)
                else:
                    warnings.append(f"địa chỉ tệp không hợp lệ: {path[:120]}")
                continue
            if doc_files.kind_of_name(rel) is None:
                warnings.append(f"định dạng tệp không nhận: {rel}")
                continue
            # Looked for on every run, so a file still missing is reported every time, and
            # one that has appeared since changes the digest and is added.
            if self.media.copy(rel, document_storage) is None:
                warnings.append(f"tệp không có: uploads/{rel}")
                continue
            file_rels.append(rel)
        values = {
            "code": " ".join(t["code"].split())[:60] or "Không số",
            "title": title,
            "body": body,
            "doc_type_id": doc_type,
            "issuer_id": issuer,
            "signer_id": signers.get(int(row.get("sgid") or 0)),
            "examiner_id": self._examiners.get(int(row.get("eid") or 0)),
            "note": plain(t["note"]),
            "issued_on": issued_on,
            "effective_on": effective_on,
            "expires_on": expires_on,
            "status": Document.Status.PUBLISHED
            if int(row.get("status") or 0) == 1
            else Document.Status.DRAFT,
        }
        return values, file_rels, file_urls, warnings

    def _write_documents(self, items: list[Item]) -> None:
        new = [i for i in items if i.extra["outcome"] == "created"]
        old = [i for i in items if i.extra["outcome"] == "updated"]
        try:
            Document.objects.bulk_create([i.obj for i in new])
        except DatabaseError:
            for i in new:
                i.obj.pk = None
            raise
        if old:
            for i in old:
                i.obj.updated_at = self.now
            Document.objects.bulk_update(
                [i.obj for i in old],
                ["code", "title", "body", "doc_type", "issuer", "signer", "examiner", "note",
                 "issued_on", "effective_on", "expires_on", "status", "updated_at"],
            )  # fmt: skip
            Document.topics.through.objects.filter(document_id__in=[i.obj.pk for i in old]).delete()
        Document.topics.through.objects.bulk_create(
            [
                Document.topics.through(document_id=i.obj.pk, topic_id=t)
                for i in items
                for t in i.extra["topics"]
            ],
            ignore_conflicts=True,
        )
        existing = defaultdict(dict)
        for f in DocumentFile.objects.filter(document_id__in=[i.obj.pk for i in old]):
            existing[f.document_id][f.url or f.file.name] = f
        new_files = []
        for item in items:
            keep = set()
            for order, rel in enumerate(item.extra["files"]):
                name = self.media.copy(rel, document_storage)
                if name is None:  # reported by _document_values
                    continue
                keep.add(name)
                if name in existing[item.obj.pk]:
                    continue
                size = document_storage.size(name) if document_storage.exists(name) else 0
                original = doc_files.clean_filename(PurePosixPath(rel).name) or "tep"
                new_files.append(DocumentFile(
                    document_id=item.obj.pk, file=name, original_name=original,
                    kind=doc_files.kind_of_name(original) or "", size=size, order=order,
                ))  # fmt: skip
            for order, url in enumerate(item.extra["urls"], start=len(item.extra["files"])):
                keep.add(url)
                if url in existing[item.obj.pk]:
                    continue
                original = PurePosixPath(urlsplit(url).path).name[:255]
                new_files.append(DocumentFile(
                    document_id=item.obj.pk, url=url, original_name=original,
                    kind=doc_files.kind_of_name(original) or "", order=order,
                ))  # fmt: skip
            stale = [f.pk for n, f in existing[item.obj.pk].items() if n not in keep]
            if stale:
                # Only the row goes: the stored copy may be shared by another document.
                DocumentFile.objects.filter(pk__in=stale).delete()
        DocumentFile.objects.bulk_create(new_files)
        self._link_rows(K.DOCUMENT, items, "document")

    def _document_relations(self, relations, mod) -> None:
        docs = {k: v[2] for k, v in self._links(K.DOCUMENT, "document_id").items() if v[2]}
        pairs = {"related": set(), "replaces": set()}
        for nv_id, rel, others in relations:
            for other in others:
                if nv_id in docs and other in docs and other != nv_id:
                    pairs[rel].add((docs[nv_id], docs[other]))
        # The laws module writes both: the row's `replacement` (the ids it replaces) and
        # `_set_replace` rows (oid = the replacing document, nid = the replaced one;
        # admin/content.php). An edit deletes the old rows by nid, not oid, so the table
        # keeps replacements staff have since removed: the column is the truth, and the
        # table is read only from a layout that has no such column.
        table = self.src.table("set_replace", module=mod)
        row_t = self.src.table("row", module=mod)
        if self.src.has(table) and "replacement" not in self.src.columns(row_t):
            for r in self.src.all(f"SELECT oid, nid FROM `{table}`"):
                replacing, replaced = int(r["oid"] or 0), int(r["nid"] or 0)
                if replacing in docs and replaced in docs and replacing != replaced:
                    pairs["replaces"].add((docs[replacing], docs[replaced]))
        related = Document.related.through
        replaces = Document.replaces.through
        related.objects.bulk_create(
            [related(from_document_id=a, to_document_id=b) for a, b in pairs["related"]]
            + [related(from_document_id=b, to_document_id=a) for a, b in pairs["related"]],
            ignore_conflicts=True,
        )
        replaces.objects.bulk_create(
            [replaces(from_document_id=a, to_document_id=b) for a, b in pairs["replaces"]],
            ignore_conflicts=True,
        )

    # -- banners ----------------------------------------------------------------------

    def import_banners(self) -> None:
        plans_t, rows_t = f"{self.src.prefix}_banners_plans", f"{self.src.prefix}_banners_rows"
        if not (self.src.has(plans_t) and self.src.has(rows_t)):
            return
        positions = {}
        # A plan's position is its LegacyLink's alias (a position's key is text, not an id).
        plan_links = dict(
            LegacyLink.objects.filter(kind=K.BANNER_PLAN).values_list("nv_id", "digest")
        )
        plan_cols = self.src.columns(plans_t)
        where = "WHERE blang IN ('', %s)" if "blang" in plan_cols else ""
        params = [self.src.lang] if where else []
        plans = self.src.all(f"SELECT * FROM `{plans_t}` {where} ORDER BY id", params)
        self.progress.read("banner_plan", len(plans))
        keys = self._plan_positions(plans)
        for row in plans:
            pid = int(row["id"])
            key = keys[pid]
            try:
                title = line(text(row.get("title"), "title"))
                mode = {"random": "shuffled", "random_one": "random_one"}.get(
                    text(row.get("form")), "ordered"
                )
            except MalformedRowError as exc:
                self.progress.skip("banner_plan", pid, str(exc))
                continue
            if key not in BannerPosition.Key.values:
                self.progress.warn(
                    "banner_plan", pid,
                    f"“{title}” thành vị trí riêng “{key}”, chưa hiện trên trang: đặt nó vào "
                    f"một vị trí bằng --banner-position {pid}=VỊ_TRÍ",
                )  # fmt: skip
            dig = digest(key, mode, title)
            if pid not in plan_links:
                outcome = "created"
            else:
                outcome = "unchanged" if plan_links[pid] == dig else "updated"
            if outcome != "unchanged":
                with transaction.atomic():
                    position, made = BannerPosition.objects.get_or_create(
                        key=key, defaults={"mode": mode}
                    )
                    if not made and key not in BannerPosition.Key.values:
                        BannerPosition.objects.filter(key=key).update(mode=mode)
                    LegacyLink.objects.update_or_create(
                        kind=K.BANNER_PLAN, nv_id=pid, defaults={"alias": key, "digest": dig}
                    )
            positions[pid] = key
            self.progress.add("banner_plan", outcome)
        links = self._links(K.BANNER, "object_id")
        rows = self.src.all(f"SELECT * FROM `{rows_t}` ORDER BY id")
        self.progress.start("banner", len(rows))
        clicks = {}
        for row in rows:
            nv_id = int(row["id"])
            self.progress.step(1)
            try:
                values = self._banner_values(row, positions)
            except MalformedRowError as exc:
                self.progress.skip("banner", nv_id, str(exc))
                continue
            item = Item(nv_id, "", digest(values), Banner(**values))
            outcome = self._classify(K.BANNER, item, links)
            if outcome != "unchanged":
                try:
                    with transaction.atomic():
                        banner = item.obj
                        if outcome == "updated":
                            banner = Banner.objects.get(pk=item.obj.pk)
                            for k, v in values.items():
                                setattr(banner, k, v)
                        banner.save()
                        item.obj = banner
                        self._link_rows(K.BANNER, [item], None)
                except (DatabaseError, Banner.DoesNotExist) as exc:
                    self.progress.skip("banner", nv_id, f"lỗi khi ghi: {exc}")
                    continue
            self.progress.add("banner", outcome)
            clicks[item.obj.pk] = int(row.get("hits_total") or 0)
        self.progress.finish()
        self.progress.tallies["banner"].counters += stats_set_counter_base(
            kind="banner_click", base=clicks
        )

    def _plan_positions(self, plans) -> dict[int, str]:
        """Each plan its own position: the one given with --banner-position, else the
        portal's positions in turn (a wide plan, 600 px or more, the one below the header),
        and once they are taken a position of its own (`nukeviet-<id>`) for staff to place."""
        chosen = {pid: key for pid, key in self.opt.banner_positions.items()}
        free = [k for k in BannerPosition.Key.values if k not in chosen.values()]
        out = {}
        for row in plans:
            pid = int(row["id"])
            if pid in chosen:
                out[pid] = chosen[pid]
                continue
            wide = int(row.get("width") or 0) >= 600
            prefer = [k for k in free if (k == BannerPosition.Key.HEADER) == wide] or free
            if prefer:
                out[pid] = prefer[0]
                free.remove(prefer[0])
            else:
                out[pid] = f"nukeviet-{pid}"
        return out

    def _banner_values(self, row, positions) -> dict:
        t = row_text(row, "title", "file_name", "file_alt", "click_url", "file_mime")
        position = positions.get(int(row.get("pid") or 0))
        if position is None:
            raise MalformedRowError(f"vị trí (plan) #{row.get('pid')} không có")
        url = valid_url(t["click_url"])
        has_image = bool(t["file_name"]) and t["file_mime"].startswith("image/")
        if not url and not has_image:
            raise MalformedRowError(
                f"không có ảnh và không có địa chỉ liên kết hợp lệ ({t['click_url'][:80]!r})"
            )
        if t["click_url"].strip() and not url:
            self.progress.warn(
                "banner",
                int(row["id"]),
                f"địa chỉ liên kết không hợp lệ, bỏ: {t['click_url'][:80]!r}",
            )
        start = timestamp(row.get("publ_time"), "publ_time") or timestamp(
            row.get("add_time"), "add_time"
        )
        end = timestamp(row.get("exp_time"), "exp_time")
        start = start or self.now
        if end and end <= start:
            end = start + timedelta(seconds=1)
        image = ""
        if t["file_name"] and t["file_mime"].startswith("image/"):
            image = self.media.copy(f"banners/{t['file_name'].lstrip('/')}") or ""
            if not image:
                self.progress.warn(
                    "banner", int(row["id"]), f"tệp không có: uploads/banners/{t['file_name']}"
                )
        act = int(row.get("act") or 0)
        return {
            "title": clip(line(t["title"]) or line(t["file_alt"]) or url or "Banner", 200),
            "image": image,
            "width": int(row.get("width") or 0),
            "height": int(row.get("height") or 0),
            "url": url,
            "position_id": position,
            "order": min(max(int(row.get("weight") or 0), 0), 32767),
            "start_at": start,
            "end_at": end,
            # 0 scheduled and 1 active show (a future start waits); 2 expired, 3 suspended
            # and 4 awaiting approval do not.
            "is_active": act in (0, 1),
        }

    # -- statistics -------------------------------------------------------------------

    # -- static pages (the page module) -----------------------------------------------

    @staticmethod
    def page_key(module: str, nv_id: int) -> int:
        """One LegacyLink id space for every page module: ids repeat across modules."""
        return (zlib.crc32(module.encode()) << 24) | nv_id

    def import_pages(self) -> None:
        links = self._links(K.PAGE, "page_id")
        taken = set(Page.objects.values_list("slug", flat=True))
        for module in self.opt.page_modules:
            # The table is named by the module's data name: the module's, `-` made `_`.
            table = f"{self.src.prefix}_{self.src.lang}_{module.replace('-', '_')}"
            if not re.fullmatch(r"[A-Za-z0-9_]+", table) or not self.src.has(table):
                self.progress.warn("page", 0, f"không có bảng {table[:80]} của module trang")
                continue
            if "bodytext" not in self.src.columns(table):
                self.progress.warn("page", 0, f"không có bảng {table} của module trang")
                continue
            rows = self.src.all(f"SELECT * FROM `{table}` ORDER BY weight, id")
            self.progress.start("page", len(rows))
            for row in rows:
                nv_id = int(row["id"])
                self.progress.step(1)
                try:
                    item = self._page_item(module, row, links, taken)
                except MalformedRowError as exc:
                    self.progress.skip("page", nv_id, f"{module}: {exc}")
                    continue
                outcome = item.extra["outcome"]
                if outcome != "unchanged":
                    try:
                        with transaction.atomic():
                            page = item.obj
                            if outcome == "updated":
                                page = Page.objects.get(pk=item.obj.pk)
                                for name in ("title", "body", "is_published", "order"):
                                    setattr(page, name, getattr(item.obj, name))
                            page.save()
                            item.obj = page
                            self._link_rows(K.PAGE, [item], "page")
                    except (DatabaseError, Page.DoesNotExist) as exc:
                        self.progress.skip("page", nv_id, f"lỗi khi ghi: {exc}")
                        continue
                self.progress.add("page", outcome)
            self.progress.finish()

    def _page_item(self, module: str, row, links, taken) -> Item:
        t = row_text(row, "title", "alias", "description", "bodytext", "image", "imagealt")
        nv_id = int(row["id"])
        title = clip(line(t["title"]), 200)
        if not title:
            raise MalformedRowError("không có tiêu đề")
        missing: list[str] = []
        body = t["bodytext"]
        lead = plain(t["description"])
        if lead:
            body = f"<p><strong>{html.escape(lead)}</strong></p>{body}"
        if t["image"]:
            rel = self.media.relative(t["image"]) or f"{module}/{t['image'].lstrip('/')}"
            image = self.media.copy(rel)
            if image:
                alt = html.escape(t["imagealt"] or title)
                body = (
                    f'<figure><img src="{default_storage.url(image)}" alt="{alt}"></figure>{body}'
                )
            else:
                missing.append(rel)
        values = {
            "title": title,
            "body": sanitize_html(self.media.rewrite(body, missing)),
            "is_published": int(row.get("status") or 0) == 1,
            "order": min(max(int(row.get("weight") or 0), 0), 32767),
        }
        for rel in missing:
            self.progress.warn("page", nv_id, f"{module}: tệp không có: uploads/{rel}")
        item = Item(self.page_key(module, nv_id), f"{module}/{t['alias']}", digest(values),
                    Page(**values, show_in_footer=False))  # fmt: skip
        item.extra["outcome"] = self._classify(K.PAGE, item, links)
        if item.extra["outcome"] == "created":
            item.obj.slug = self._unique(vn_slugify(t["alias"] or title, 110) or "trang",
                                         taken, nv_id)  # fmt: skip
        return item

    def import_features(self) -> None:
        """Topics, voting, contact, menu and free content (nukeviet/features.py)."""
        from nukeviet import features

        features.import_all(self)

    def import_stats(self) -> None:
        table = f"{self.src.prefix}_counter"
        if not self.src.has(table):
            return
        rows = self.src.all(
            f"SELECT c_count FROM `{table}` WHERE c_type = 'total' AND c_val = 'hits'"
        )
        if not rows:
            self.progress.warn("stats", 0, "không có dòng total/hits trong bảng thống kê")
            return
        self.progress.read("stats", 1)
        visits = int(rows[0]["c_count"] or 0)
        before = Baseline.current().visits
        stats_set_baseline(visits=visits)
        self.progress.add("stats", "unchanged" if before == visits else "updated")
