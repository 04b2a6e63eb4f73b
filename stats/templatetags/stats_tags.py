from django import template

from stats import blocks

register = template.Library()


@register.filter
def thousands(value):
    """8692052 -> '8,692,052', as readers know it from the replaced site."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.inclusion_tag("stats/block.html")
def stats_block():
    return {"totals": blocks.site_totals()}
