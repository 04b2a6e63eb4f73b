from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

from documents import blocks

register = template.Library()


@register.filter
def filesize(value):
    """1536 -> '1,5 KB', in the units and decimal comma readers expect."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return f"{size} byte"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{number_format(size, 1)} {unit}"
    return ""


@register.filter
def count(value):
    """8692052 -> '8.692.052', as the news pages write their counts."""
    return intcomma(value)


@register.filter
def vn_day(value):
    return f"{value:%d/%m/%Y}" if value else ""


@register.inclusion_tag("includes/latest_documents.html")
def latest_documents_block():
    return {"documents": blocks.latest()}
