from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from stats import blocks

register = template.Library()


@register.filter
def thousands(value):
    """8692052 -> '8.692.052': the Vietnamese grouping of portal/formats/vi."""
    return intcomma(value)


@register.inclusion_tag("stats/block.html")
def stats_block():
    return {"totals": blocks.site_totals()}
