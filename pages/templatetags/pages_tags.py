"""The staff-edited main menu and the free-content blocks.

`{% site_menu as items %}` is read only inside the header's cached fragment (keyed by the
content generation), and `{% free_blocks "position" %}` from this worker's fragment cache
keyed by the generation too: one query each when a change (or the first page) makes them
stale, none per page once warm. Saving a menu item or a block moves the generation
(pages is a watched app of portal.fragments), so the change shows on the next page.
"""

from django import template
from django.core.cache import caches
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from pages.models import FreeBlock, MenuItem
from portal import fragments

register = template.Library()

BLOCKS_SECONDS = 600


@register.simple_tag
def site_menu() -> list[dict]:
    """The active menu items as [{title, url, sub: [...]}] (one query); empty when staff
    have made none, and the header then lists the menu categories as before."""
    items = list(
        MenuItem.objects.filter(is_active=True).select_related(
            "category", "page", "topic", "document"
        )
    )
    top = [i for i in items if i.parent_id is None]
    return [
        {
            "title": item.title,
            "url": item.link,
            "sub": [{"title": c.title, "url": c.link} for c in items if c.parent_id == item.pk],
        }
        for item in top
    ]


def _blocks() -> dict[str, list[str]]:
    key = f"pages:free-blocks:{fragments.generation()}"
    store = caches["fragments"]
    cached = store.get(key)
    if cached is not None:
        return cached
    by_position: dict[str, list[str]] = {}
    for block in FreeBlock.objects.filter(is_active=True):
        by_position.setdefault(block.position, []).append(_render(block))
    store.set(key, by_position, BLOCKS_SECONDS)
    return by_position


def _render(block: FreeBlock) -> str:
    heading = format_html('<h2 class="block-title">{}</h2>', block.title) if block.title else ""
    if block.image:
        image = format_html('<img src="{}" alt="{}" loading="lazy">', block.image.url,
                            block.image_alt)  # fmt: skip
        if block.link:
            image = format_html('<a href="{}" rel="noopener">{}</a>', block.link, image)
        inner = image
    else:
        # Sanitised when saved (FreeBlock.save, portal.richtext), like an article body.
        inner = format_html('<div class="free-body">{}</div>', mark_safe(block.body))  # noqa: S308
    return str(format_html('<section class="block free-block">{}{}</section>', heading, inner))


@register.simple_tag
def free_blocks(position: str):
    return format_html_join(
        "\n", "{}", ((mark_safe(html),) for html in _blocks().get(position, []))
    )  # noqa: S308
