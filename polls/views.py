import secrets

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST, require_safe

from news.views import paginate
from polls import services
from polls.models import Answer, Poll, Vote
from portal import pagecache, ratelimit
from stats import readers

# The long-lived random id of a browser that voted (signed, so it cannot be forged).
VOTER_COOKIE = "bp_tham_do"
VOTER_SALT = "polls.voter"
VOTER_MAX_AGE = 400 * 24 * 3600
PER_PAGE = 10


def voter_id(request) -> bytes | None:
    raw = request.get_signed_cookie(VOTER_COOKIE, default="", salt=VOTER_SALT)
    try:
        value = bytes.fromhex(raw)
    except ValueError:
        return None
    return value if len(value) == 16 else None


def _poll(slug) -> Poll:
    answers = Prefetch("answers", queryset=Answer.objects.order_by("order", "id"))
    return get_object_or_404(Poll.objects.visible().prefetch_related(answers), slug=slug)


def _render_poll(request, poll, *, status=200, error=None, chosen=()):
    """The poll page: the form while it is open (and this browser has not voted), the
    results once they may be shown."""
    voter = voter_id(request)
    # Only a browser that holds our cookie can have voted with it: one query for those.
    voted = voter is not None and Vote.objects.filter(poll=poll, voter=voter).exists()
    answers = list(poll.answers.all())
    context = {
        "poll": poll,
        "answers": answers,
        "voted": voted,
        "is_open": poll.is_open(),
        "results": services.poll_results(poll, answers) if poll.results_visible() else None,
        "error": error,
        "chosen": {str(c) for c in chosen},
    }
    return render(request, "polls/poll.html", context, status=status)


@require_safe
@pagecache.cacheable
def poll_list(request):
    page = paginate(request, Poll.objects.visible().only("question", "slug", "opens_at",
                    "closes_at", "voter_count"), PER_PAGE)  # fmt: skip
    return render(request, "polls/list.html", {"page": page})


@require_safe
@pagecache.cacheable
def poll_detail(request, slug):
    return _render_poll(request, _poll(slug))


@require_POST
def poll_vote(request, slug):
    """The vote form's target: redirect to the results with a notice, or the poll page
    again with the reason and a 4xx status (nothing saved)."""
    poll = _poll(slug)
    raw = request.POST.getlist("answer")
    if readers.is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return _render_poll(
            request, poll, status=403, error="Không nhận bình chọn gửi từ chương trình tự động."
        )
    # One vote per poll is kept by the database; this bounds a flood of refused repeats.
    reader = readers.reader_id(request)
    window = settings.RATING_RATE_WINDOW
    if not ratelimit.allow("poll", reader, limit=settings.RATING_RATE_LIMIT, window=window):
        response = _render_poll(
            request, poll, status=429,
            error="Bạn đã gửi quá nhiều bình chọn trong ít phút qua. Vui lòng thử lại sau.",
        )  # fmt: skip
        response["Retry-After"] = str(window)
        return response
    if len(raw) > 10 or not all(r.isdigit() and len(r) < 19 for r in raw):
        return _render_poll(request, poll, status=400, error="Phương án đã chọn không hợp lệ.")
    voter = voter_id(request)
    new_voter = voter is None
    if new_voter:
        voter = secrets.token_bytes(16)
    try:
        services.poll_vote(poll=poll, answer_ids=[int(r) for r in raw], voter=voter, reader=reader)
    except services.VoteRefusedError as refused:
        response = _render_poll(
            request, poll, status=refused.status, error=refused.message, chosen=raw
        )
    else:
        messages.success(request, "Cảm ơn bạn đã tham gia bình chọn.")
        response = HttpResponseRedirect(f"{poll.get_absolute_url()}#ket-qua")
    if new_voter:
        response.set_signed_cookie(
            VOTER_COOKIE, voter.hex(), salt=VOTER_SALT, max_age=VOTER_MAX_AGE, httponly=True,
            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip
    return response
