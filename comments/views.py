import secrets

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from comments import captcha, services, spam
from comments.forms import CommentForm
from comments.models import RatingTotal
from news.models import Article
from portal import ratelimit
from portal.http import NotFound
from stats import readers

# The signed cookie that lets the author of held comments see them ("waiting").
PENDING_COOKIE = "bp_cho_duyet"
PENDING_SALT = "comments.pending"
PENDING_KEEP = 20
PENDING_MAX_AGE = 30 * 24 * 3600
# The long-lived random id of a browser that voted.
VOTER_COOKIE = "bp_danh_gia"
VOTER_SALT = "comments.voter"
VOTER_MAX_AGE = 400 * 24 * 3600


def pending_ids(request) -> list[int]:
    """Ids of the held comments this browser wrote (empty when no or a forged cookie)."""
    raw = request.get_signed_cookie(PENDING_COOKIE, default="", salt=PENDING_SALT)
    try:
        return [int(i) for i in raw.split(",") if i][:PENDING_KEEP]
    except ValueError:
        return []


def voter_id(request) -> bytes | None:
    raw = request.get_signed_cookie(VOTER_COOKIE, default="", salt=VOTER_SALT)
    try:
        value = bytes.fromhex(raw)
    except ValueError:
        return None
    return value if len(value) == 16 else None


def _set_cookie(response, name, value, salt, max_age):
    response.set_signed_cookie(
        name, value, salt=salt, max_age=max_age, httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )  # fmt: skip


def _public_article(slug) -> Article:
    # What a post needs; not the body (tens of KB).
    fields = ["id", "slug", "title", "status", "publish_at", "allow_comments", "allow_rating"]
    return get_object_or_404(Article.objects.published().only(*fields), slug=slug)


def _is_script(request) -> bool:
    return readers.is_bot(request.META.get("HTTP_USER_AGENT", ""))


@require_safe
@never_cache
def form_tokens(request, article_id):
    """What the comment and rating forms of a cached article page need from this reader
    (static/js/forms.js fetches it when a form comes into view): the CSRF token, and the
    signed time the comment form was shown, from which the minimum-time check measures.
    Neither is in the cached HTML, so a page-cache hit mints none of them."""
    return JsonResponse({"csrf": get_token(request), "opened": spam.make_form_token(article_id)})


def _render_form(request, article, form, status, message=None):
    if message:
        form.add_error(None, message)
    # This page is never cached: its form carries this reader's tokens.
    tokens = {"csrf": get_token(request), "opened": form["opened"].value()}
    context = {"article": article, "form": form, "tokens": tokens}
    return render(request, "comments/post.html", context, status=status)


@require_POST
def comment_post(request, slug):
    """The comment form's target. Success: redirect to the article with a notice. Refusal:
    the form again, the reader's text kept, the reason on top, and a 4xx status."""
    article = _public_article(slug)
    form = CommentForm(request.POST, article=article, user=request.user)
    if not article.allow_comments:
        return _render_form(request, article, form, 403, "Bài viết này không nhận ý kiến bạn đọc.")
    if _is_script(request):
        return _render_form(
            request, article, form, 403, "Không nhận ý kiến gửi từ chương trình tự động."
        )
    if not form.is_valid():
        return _render_form(request, article, form, 400)
    data = form.cleaned_data
    try:
        comment = services.comment_submit(
            article=article,
            name=data["name"],
            email=data["email"],
            body=data["body"],
            reader=readers.reader_id(request),
            address=readers.address_id(request),
            user=request.user,
        )
    except services.CommentRefusedError as refused:
        return _render_form(request, article, form, refused.status, refused.message)
    if comment.status == comment.Status.APPROVED:
        messages.success(request, "Cảm ơn bạn! Ý kiến của bạn đã được đăng.")
        response = HttpResponseRedirect(comment.get_absolute_url())
    else:
        messages.success(
            request,
            "Cảm ơn bạn! Ý kiến của bạn đã được gửi và đang chờ kiểm duyệt; "
            "chỉ bạn thấy ý kiến này cho đến khi được duyệt.",
        )
        response = HttpResponseRedirect(f"{article.get_absolute_url()}#y-kien")
        ids = [comment.pk, *pending_ids(request)][:PENDING_KEEP]
        _set_cookie(
            response, PENDING_COOKIE, ",".join(map(str, ids)), PENDING_SALT, PENDING_MAX_AGE
        )
    return response


def rating_line(total: RatingTotal | None) -> dict:
    votes = total.votes if total else 0
    points = total.points if total else 0
    average = number_format(points / votes, 1) if votes else "0"
    return {
        "votes": votes,
        "points": points,
        "average": average,
        "line": f"Tổng số điểm của bài viết là: {points} trong {votes} đánh giá",
    }


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _rating_refused(request, article, message, status):
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": message}, status=status)
    return render(
        request, "comments/rating_refused.html", {"article": article, "message": message},
        status=status,
    )  # fmt: skip


@require_POST
def rate(request, slug):
    """One vote of 1-5 stars. A plain form posts here and is redirected back (PRG); the
    script asks for JSON and updates the line in place."""
    article = _public_article(slug)
    if not article.allow_rating:
        return _rating_refused(request, article, "Bài viết này không nhận đánh giá.", 403)
    if _is_script(request):
        return _rating_refused(
            request, article, "Không nhận đánh giá gửi từ chương trình tự động.", 403
        )
    # One vote per article is kept by the database; this bounds a flood over many articles
    # (and of refused repeats), counted per reader before any write.
    window = settings.RATING_RATE_WINDOW
    if not ratelimit.allow(
        "rate", readers.reader_id(request), limit=settings.RATING_RATE_LIMIT, window=window
    ):
        minutes = max(1, window // 60)
        response = _rating_refused(
            request, article,
            f"Bạn đã gửi quá nhiều đánh giá trong {minutes} phút qua. Vui lòng thử lại sau.",
            429,
        )  # fmt: skip
        response["Retry-After"] = str(window)
        return response
    raw = request.POST.get("stars", "")
    if raw not in {"1", "2", "3", "4", "5"}:
        return _rating_refused(request, article, "Điểm đánh giá phải là từ 1 đến 5 sao.", 400)
    voter = voter_id(request)
    new_voter = voter is None
    if new_voter:
        voter = secrets.token_bytes(16)
    try:
        total = services.rating_submit(
            article=article, stars=int(raw), voter=voter, reader=readers.reader_id(request),
            address=readers.address_id(request),
        )  # fmt: skip
    except services.AddressLimitError:
        return _rating_refused(
            request, article,
            "Bài viết đã nhận đủ số đánh giá cho phép trong ngày từ mạng của bạn. "
            "Vui lòng thử lại vào ngày mai.",
            429,
        )  # fmt: skip
    except services.AlreadyRatedError as already:
        message = "Bạn đã đánh giá bài viết này rồi; mỗi bạn đọc chỉ đánh giá một lần."
        if _wants_json(request):
            response = JsonResponse(
                {"ok": False, "message": message, **rating_line(already.total)}, status=409
            )
        else:
            messages.error(request, message)
            response = HttpResponseRedirect(f"{article.get_absolute_url()}#danh-gia")
    else:
        message = f"Cảm ơn bạn đã đánh giá {raw} sao cho bài viết."
        if _wants_json(request):
            response = JsonResponse({"ok": True, "message": message, **rating_line(total)})
        else:
            messages.success(request, message)
            response = HttpResponseRedirect(f"{article.get_absolute_url()}#danh-gia")
    if new_voter:
        _set_cookie(response, VOTER_COOKIE, voter.hex(), VOTER_SALT, VOTER_MAX_AGE)
    return response


@require_GET
@never_cache
def captcha_image(request, token):
    if not captcha.is_valid_token(token):
        raise NotFound("Mã xác nhận đã hết hạn. Vui lòng tải lại trang.")
    return HttpResponse(captcha.render_png(token), content_type="image/png")
