from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from contact import services
from contact.forms import ContactForm, QuestionSearchForm
from contact.models import Department, Message
from news.views import paginate
from portal import pagecache
from stats import counting, readers

PER_PAGE = 10


def _render_contact(request, form, status=200, error=None):
    if error:
        form.add_error(None, error)
    departments = list(Department.objects.active())
    return render(
        request, "contact/contact.html", {"form": form, "departments": departments},
        status=status,
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    """The contact form. Success: redirect with a notice (the message is saved before any
    mail is tried). Refusal: the form again with the reader's text, the reason, and a 4xx."""
    if request.method != "POST":
        return _render_contact(request, ContactForm())
    form = ContactForm(request.POST)
    if readers.is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return _render_contact(request, form, 403, "Không nhận thư gửi từ chương trình tự động.")
    if not form.is_valid():
        return _render_contact(request, form, 400)
    data = form.cleaned_data
    try:
        services.message_submit(
            department=data["department"], name=data["name"], email=data["email"],
            phone=data["phone"], subject=data["subject"], body=data["body"],
            reader=readers.reader_id(request),
        )  # fmt: skip
    except services.MessageRefusedError as refused:
        return _render_contact(request, form, refused.status, refused.message)
    messages.success(
        request,
        f"Cảm ơn bạn! Thư đã được gửi đến {data['department'].name}; "
        "chúng tôi sẽ trả lời qua email hoặc điện thoại bạn để lại.",
    )
    return HttpResponseRedirect(reverse("contact:contact"))


@require_safe
@pagecache.cacheable
def questions(request):
    form = QuestionSearchForm(
        {"q": request.GET.get("q", ""), "field": request.GET.get("linh-vuc", "")}
    )
    queryset = Message.objects.published().select_related("department").defer("search_vector")
    status = 200
    field = None
    if form.is_valid():
        field = form.cleaned_data["field"]
        if field is not None:
            queryset = queryset.filter(department=field)
        if form.cleaned_data["q"].strip():
            queryset = queryset.search(form.cleaned_data["q"])
    else:
        status = 400
        queryset = queryset.none()
    page = paginate(request, queryset.order_by("-answered_at", "-id"), PER_PAGE)
    context = {
        "form": form, "page": page, "field": field, "departments": Department.objects.all(),
        "q": form.data["q"],
    }  # fmt: skip
    return render(request, "contact/questions.html", context, status=status)


@require_safe
@pagecache.cacheable
def question(request, pk):
    item = get_object_or_404(
        Message.objects.published().select_related("department").defer("search_vector"), pk=pk
    )
    counting.count("question", item.pk, request)
    response = render(request, "contact/question.html", {"item": item})
    pagecache.count_on_hit(response, "question", item.pk)
    return response
