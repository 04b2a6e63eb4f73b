from django import template

from portal import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def banner_block(context, position):
    """A banner position ("links", "quick", "header"): chosen, and its impressions counted,
    on every page view, page cache hits included (banners.blocks); no query once the cache
    is warm."""
    return pagecache.per_view(context.get("request"), "banners", position)
