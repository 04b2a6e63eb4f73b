from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone

from news import blocks, responsive

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
    """8692052 -> '8.692.052': the Vietnamese grouping of portal/formats/vi. Whole numbers
    (the counters on every page) are grouped here directly: intcomma localises each call."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return intcomma(value)


@register.simple_tag
def category_menu():
    return blocks.menu()


@register.inclusion_tag("includes/most_read.html")
def most_read_block():
    return {"articles": blocks.most_read()}


@register.simple_tag
def article_thumb(article, lead=False, eager=False):
    """`<picture>` of an article's list thumbnail: WebP, srcset, width/height, lazy unless
    `eager` (the first image of a page)."""
    return responsive.article_thumb(article, lead=lead, eager=eager)


@register.simple_tag
def article_image(article):
    """`<picture>` of the featured image at content width, loaded first."""
    return responsive.article_image(article, eager=True)


@register.filter
def responsive_body(body, featured_above=False):
    """The sanitised body with responsive, lazy images. `featured_above`: the page shows a
    featured image above the body, so even the first body image is below the fold."""
    return responsive.body_html(body, eager_first=not featured_above)


@register.inclusion_tag("includes/topics_block.html")
def topics_block(limit: int = 6):
    """The "Dòng sự kiện" block (one query; rendered inside the sidebar's cached fragment)."""
    from news.models import Topic

    return {"topics": list(Topic.objects.active().only("title", "slug")[:limit])}


@register.inclusion_tag("news/topic_box.html")
def topic_box(article, limit: int = 5):
    """An article's topic and the topic's other newest articles (two queries, none when
    the article has no topic; the article page caches it as a fragment)."""
    from news.models import Article, Topic

    if not article.topic_id:
        return {"topic": None}
    topic = Topic.objects.filter(pk=article.topic_id, is_active=True).only("title", "slug").first()
    others = []
    if topic is not None:
        others = list(
            Article.objects.published()
            .filter(topic_id=topic.pk)
            .exclude(pk=article.pk)
            .only("title", "slug", "publish_at")[:limit]
        )
    return {"topic": topic, "others": others}
