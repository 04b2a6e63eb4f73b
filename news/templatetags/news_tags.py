from django import template
from django.utils import timezone

from news import blocks

register = template.Library()

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


@register.filter
def vn_datetime(value):
    """'Thứ Hai - 10/01/2022 19:00' in the site's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{WEEKDAYS[local.weekday()]} - {local:%d/%m/%Y %H:%M}"


@register.filter
def vn_date(value):
    if not value:
        return ""
    local = timezone.localtime(value) if hasattr(value, "tzinfo") and value.tzinfo else value
    return f"{local:%d/%m/%Y}"


@register.filter
def thousands(value):
    """8692052 -> '8,692,052', the separator readers know from the replaced site."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.simple_tag
def category_menu():
    return blocks.menu()


@register.inclusion_tag("includes/most_read.html")
def most_read_block():
    return {"articles": blocks.most_read()}
