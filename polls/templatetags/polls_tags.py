"""The "Thăm dò ý kiến" sidebar block: `{% load polls_tags %}{% poll_block %}`.

The newest open poll and its answers are kept in this worker's fragment cache, keyed by the
content generation (a staff change shows at once) and for at most a minute (a poll's
opening or closing time passes without a save): no query per page once warm. The form is
rendered per request, never inside a cached fragment, so its CSRF token is this reader's.
"""

from django import template
from django.core.cache import caches

from polls.models import Answer, Poll
from portal import fragments

register = template.Library()

BLOCK_SECONDS = 60


def current_poll() -> dict | None:
    key = f"polls:block:{fragments.generation()}"
    store = caches["fragments"]
    cached = store.get(key)
    if cached is not None:
        return cached or None
    # One query: the newest open poll's answers, each with its poll.
    newest = Poll.objects.open_now().order_by("-opens_at", "-id").values("pk")[:1]
    answers = list(
        Answer.objects.filter(poll__in=newest).select_related("poll").order_by("order", "id")
    )
    value = {}
    if answers:
        poll = answers[0].poll
        value = {
            "question": poll.question,
            "url": poll.get_absolute_url(),
            "slug": poll.slug,
            "multiple": poll.kind == Poll.Kind.MULTIPLE,
            "answers": [{"id": a.pk, "text": a.text} for a in answers],
        }
    store.set(key, value, BLOCK_SECONDS)
    return value or None


@register.inclusion_tag("includes/poll_block.html", takes_context=True)
def poll_block(context):
    return {"poll": current_poll()}
