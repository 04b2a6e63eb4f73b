"""Load the demo content: categories, tags, articles with generated pictures.

Everything is written in one transaction; the files stored on the way are removed again if
anything fails, so a failed load leaves neither rows nor orphan files behind.
"""

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape

from news import images
from news.demo import pictures
from news.demo.articles import ARTICLES
from news.demo.content import (
    CATEGORIES,
    OL,
    UL,
    Ago,
    Ahead,
    Exact,
    Fig,
    H,
    On,
    Quote,
    Spec,
    Table,
    placeholders,
)
from news.models import Article, BodyImage, Category, Tag
from news.services import article_make_renditions, body_image_make_renditions
from portal.text import vn_slugify

# Two `load_demo` started at once (two `make run`) must not both load: the second waits for
# the first to commit, then sees the content and stops.
LOCK_KEY = 0x64656D6F  # "demo"
BODY_IMAGE_SIZE = (1000, 625)


@dataclass
class Result:
    categories: int = 0
    tags: int = 0
    articles: int = 0
    pictures: int = 0


def has_content() -> bool:
    """Content exists (demo or real): the demo must never be loaded over it."""
    return Category.objects.exists() or Article.objects.exists()


def load(*, now: datetime | None = None, log: Callable[[str], None] | None = None) -> Result:
    """Create the demo content. The caller checks `has_content()` first."""
    now = now or timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            if has_content():
                return Result()
            return _Loader(now, stored, log or (lambda _msg: None)).run()
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


class _Loader:
    def __init__(self, now: datetime, stored: list[str], log: Callable[[str], None]):
        self.now = now
        self.stored = stored
        self.log = log
        self.result = Result()
        self.categories: dict[str, Category] = {}
        self.palette: dict[str, int] = {}
        self.tags: dict[str, Tag] = {}

    def run(self) -> Result:
        self.make_categories()
        self.make_tags()
        for spec in ARTICLES:
            self.make_article(spec)
        return self.result

    # --- categories and tags ----------------------------------------------------------

    def make_categories(self) -> None:
        for index, (name, slug, order, in_menu, description, children) in enumerate(CATEGORIES):
            parent = Category.objects.create(
                name=name, slug=slug, order=order, show_in_menu=in_menu, description=description
            )
            self.categories[slug] = parent
            self.palette[slug] = index
            for child_name, child_slug, child_order, child_in_menu in children:
                self.categories[child_slug] = Category.objects.create(
                    name=child_name, slug=child_slug, parent=parent, order=child_order,
                    show_in_menu=child_in_menu,
                )  # fmt: skip
                self.palette[child_slug] = index
        self.result.categories = len(self.categories)

    def make_tags(self) -> None:
        names = sorted({name for spec in ARTICLES for name in spec.tags})
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
        new = [Tag(name=n, slug=vn_slugify(n, 100)) for n in names if n not in existing]
        Tag.objects.bulk_create(new)
        self.tags = {**existing, **{t.name: t for t in new}}
        self.result.tags = len(new)

    # --- articles ---------------------------------------------------------------------

    def moment(self, when) -> datetime:
        local_now = timezone.localtime(self.now)
        hour, minute = (int(part) for part in when.at.split(":"))
        at = time(hour, minute)

        def local(day) -> datetime:
            return timezone.make_aware(datetime.combine(day, at))

        if isinstance(when, Exact):
            return local(when.day)
        if isinstance(when, Ahead):
            return local(local_now.date() + timedelta(days=when.days))
        if isinstance(when, Ago):
            moment = local(local_now.date() - timedelta(days=when.days))
            # "Today at 07:40" loaded at 03:00 would be scheduled: take yesterday instead.
            return moment if moment <= self.now else moment - timedelta(days=1)
        assert isinstance(when, On)
        year = local_now.year
        moment = local(local_now.date().replace(year=year, month=when.month, day=when.day))
        if moment > self.now:
            moment = moment.replace(year=year - 1)
        return moment.replace(year=moment.year - when.back)

    def make_article(self, spec: Spec) -> None:
        moment = self.moment(spec.when)
        values = placeholders(moment)

        def fill(text: str) -> str:
            return text.format_map(values) if "{" in text else text

        title = fill(spec.title)
        seed = zlib.crc32(title.encode())
        rng = random.Random(seed)
        # Each section keeps a dominant colour scheme, with some variety between articles.
        palette = self.palette[spec.category] + seed % 3
        label = self.categories[spec.category].name
        article = Article(
            title=title,
            summary=fill(spec.summary),
            body=self.body(spec.body, fill, label, palette, seed),
            category=self.categories[spec.category],
            status=spec.status,
            publish_at=moment,
            author=spec.author,
            source_name=spec.source[0] if spec.source else "",
            source_url=spec.source[1] if len(spec.source) > 1 else "",
            featured=spec.featured,
            allow_comments=spec.comments,
            allow_rating=spec.comments,
            image_caption=fill(spec.caption) if spec.image else "",
        )
        if spec.image:
            content = pictures.picture(label, palette=palette, seed=seed)
            article.image.save("anh-dai-dien.jpg", content, save=False)
            self.stored.append(article.image.name)
            self.result.pictures += 1
        article.save()
        if article.image:
            article_make_renditions(article=article)
            for name in (article.image_thumb.name, article.image_large.name):
                self.stored += [name, *images.sibling_names(name)]
        if spec.tags:
            article.tags.set([self.tags[name] for name in spec.tags])
        if spec.extra:
            article.extra_categories.set([self.categories[slug] for slug in spec.extra])

        created = min(moment, self.now) - timedelta(minutes=rng.randint(20, 600))
        # Seeding, not counting: the view counter is otherwise written only by stats/.
        Article.objects.filter(pk=article.pk).update(
            view_count=self.views(spec, article, rng),
            created_at=created,
            updated_at=max(created, min(moment, self.now)),
        )
        self.result.articles += 1
        self.log(
            f"  {article.get_status_display():<12} {timezone.localtime(moment):%d/%m/%Y %H:%M}  {title}"
        )

    def views(self, spec: Spec, article: Article, rng: random.Random) -> int:
        if spec.views is not None:
            return spec.views
        if not article.is_public:
            return 0
        days = (self.now - article.publish_at).days
        views = rng.randint(40, 180) + min(days, 500) * rng.uniform(1.2, 4.5)
        return round(views * (1.7 if spec.featured else 1))

    # --- body HTML (what the editor would produce; the model's sanitiser keeps it) ----

    def body(self, blocks, fill, label: str, palette: int, seed: int) -> str:
        parts = []
        for n, block in enumerate(blocks):
            if isinstance(block, str):
                parts.append(f"<p>{fill(block)}</p>")
            elif isinstance(block, H):
                parts.append(f"<h{block.level}>{escape(fill(block.text))}</h{block.level}>")
            elif isinstance(block, UL | OL):
                tag = "ul" if isinstance(block, UL) else "ol"
                items = "".join(f"<li><p>{escape(fill(i))}</p></li>" for i in block.items)
                parts.append(f"<{tag}>{items}</{tag}>")
            elif isinstance(block, Quote):
                cite = f"<p>— <em>{escape(block.cite)}</em></p>" if block.cite else ""
                parts.append(f"<blockquote><p>{escape(fill(block.text))}</p>{cite}</blockquote>")
            elif isinstance(block, Table):
                parts.append(self.table(block, fill))
            elif isinstance(block, Fig):
                parts.append(self.figure(fill(block.caption), label, palette + 1, seed + n))
            else:  # pragma: no cover - a typo in the content
                raise TypeError(f"Unknown body block: {block!r}")
        return "".join(parts)

    @staticmethod
    def table(block: Table, fill) -> str:
        caption = f"<caption>{escape(fill(block.caption))}</caption>" if block.caption else ""
        head = "".join(f"<th>{escape(fill(cell))}</th>" for cell in block.head)
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(fill(cell))}</td>" for cell in row) + "</tr>"
            for row in block.rows
        )
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"

    def figure(self, caption: str, label: str, palette: int, seed: int) -> str:
        width, height = BODY_IMAGE_SIZE
        image = BodyImage(
            original_name=f"{vn_slugify(caption, 60)}.jpg", width=width, height=height
        )
        content = pictures.picture(label, palette=palette, seed=seed, size=BODY_IMAGE_SIZE)
        image.image.save("anh.jpg", content, save=False)
        self.stored.append(image.image.name)
        image.save()
        self.stored += images.sibling_names(image.image.name)
        body_image_make_renditions(body_image=image)
        self.result.pictures += 1
        return (
            f'<figure><img src="{escape(image.image.url)}" width="{width}" height="{height}" '
            f'alt="{escape(caption)}"><figcaption>{escape(caption)}</figcaption></figure>'
        )
