from django import template

from banners import blocks
from portal import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def banner_block(context, position):
    """A banner position ("links", "quick", "header"): no query once the cache is warm.

    A live region of the page cache: chosen (and its impressions counted) on every view,
    even when the rest of the page comes from the cache.
    """
    return pagecache.live_region(
        f"banners:{position}", blocks.render(position, context.get("request"))
    )
