import hashlib
import logging

from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from documents import downloads
from documents.filters import LibraryFilter
from documents.models import Document, DocumentFile, Topic
from portal import fragments, pagecache
from portal.http import NotFound
from stats import counting

log = logging.getLogger(__name__)

PAGE_SIZE = 20


def _paginate(request, queryset, *, count_key=""):
    if count_key:
        paginator = fragments.CountCachedPaginator(queryset, PAGE_SIZE, count_key=count_key)
    else:
        paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page", "1"))
    except PageNotAnInteger:
        raise NotFound("Số trang không hợp lệ.") from None
    except EmptyPage:
        raise NotFound("Trang này không có văn bản nào.") from None


def _may_preview(user) -> bool:
    return user.is_authenticated and user.is_staff and user.has_perm("documents.view_document")


def _may_see(user, document) -> bool:
    """A document not yet public is shown to the staff the admin shows it to: editors any,
    a reporter only their own (documents.admin.DocumentAdmin.get_queryset)."""
    if document.is_public:
        return True
    if not _may_preview(user):
        return False
    return user.has_perm("documents.edit_any_document") or document.created_by_id == user.pk


@require_safe
@pagecache.cacheable
def library(request):
    """Newest first; filters and keyword from the URL; a wrong filter is a 400 with the
    form's message, never a 500."""
    filterset = LibraryFilter(request.GET or None, queryset=Document.objects.published().for_list())
    page, status = None, 200
    if filterset.is_bound and not filterset.is_valid():
        status = 400
    else:
        # The count and the page's rows are shared by every reader of the same filters:
        # counted once per content generation, and the filtered queryset is built only
        # when the count or the list's fragment is missing (documents/library.html).
        query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()
        count_key = f"documents:library-count:{fragments.generation_for(request)}:{query}"
        rows = fragments.LazyRows(lambda: filterset.qs)
        page = _paginate(request, rows, count_key=count_key)
    filtered = any(key != "page" for key in request.GET)
    form = filterset.form
    # "Lọc thêm" stays open when a filter other than the keyword is set or has an error.
    more_open = any(
        request.GET.get(name) or form.errors.get(name) for name in form.fields if name != "q"
    )
    context = {"form": form, "page": page, "filtered": filtered, "more_open": more_open}
    return render(request, "documents/library.html", context, status=status)


@require_safe
@pagecache.cacheable
def document_detail(request, slug):
    published = Document.objects.published().only("id", "code", "title", "slug", "issued_on")
    queryset = Document.objects.select_related(
        "doc_type", "issuer", "signer", "examiner"
    ).prefetch_related(
        Prefetch("topics", queryset=Topic.objects.only("name", "slug")),
        Prefetch("files", queryset=DocumentFile.objects.all()),
        Prefetch("related", queryset=published),
        Prefetch("replaces", queryset=published),
        Prefetch("replaced_by", queryset=published),
    )
    if not _may_preview(request.user):
        queryset = queryset.published()
    document = get_object_or_404(queryset, slug=slug)
    if not _may_see(request.user, document):
        raise Http404  # the same page as for a slug that does not exist
    preview = not document.is_public
    if not preview:
        counting.count("document_view", document.pk, request)
    response = render(
        request, "documents/document.html", {"document": document, "preview": preview}
    )
    if not preview:
        pagecache.count_on_hit(response, "document_view", document.pk)
    return response


@require_safe
def download(request, pk, inline=False):
    """Send a file through the portal, so it is counted: once per reader per file (and
    per document) in the dedup window, never for bots or staff, and for a viewer that
    fetches in ranges only by the request that starts at byte 0."""
    fields = ["id", "file", "url", "original_name", "kind", "document__id", "document__status"]
    doc_file = get_object_or_404(
        DocumentFile.objects.select_related("document").only(*fields, "document__created_by"),
        pk=pk,
    )
    document = doc_file.document
    if not _may_see(request.user, document):
        raise NotFound("Không tìm thấy tệp này.")
    if doc_file.url:
        # The original is kept on another site: counted here like a download, then the
        # reader goes there (302, not permanent, so each following is counted).
        if document.is_public and request.method != "HEAD":
            counting.count("file_download", doc_file.pk, request)
            counting.count("document_download", document.pk, request)
        return HttpResponseRedirect(doc_file.url)
    if inline and not doc_file.is_pdf:
        raise NotFound("Chỉ xem trực tiếp được tệp PDF; hãy tải tệp về.")
    storage = doc_file.file.storage
    try:
        path = storage.path(doc_file.file.name)
        size = storage.size(doc_file.file.name)
    except (OSError, ValueError, SuspiciousFileOperation):
        log.error(
            "document file missing on disk: file %s of document %s (%s)",
            doc_file.pk, document.pk, doc_file.file.name,
        )  # fmt: skip
        raise NotFound(
            "Tệp này tạm thời không có trên máy chủ. Ban biên tập đã được báo; "
            "mời bạn quay lại sau."
        ) from None

    range_header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if (
        range_header is not None
        and if_range is not None
        and if_range.strip() != downloads.etag_for(doc_file.file.name, size)
    ):
        range_header = None
    try:
        byte_range = downloads.parse_range(range_header, size)
    except downloads.MalformedRangeError:
        return downloads.malformed()
    except downloads.RangeNotSatisfiableError:
        return downloads.not_satisfiable(size)

    head = request.method == "HEAD"
    try:
        response = downloads.build_response(
            doc_file=doc_file, path=path, size=size, byte_range=byte_range, inline=inline,
            head=head,
        )  # fmt: skip
    except OSError:
        # Gone between the check above and the open (a replacement just committed).
        log.error("document file %s could not be opened (%s)", doc_file.pk, path)
        raise NotFound("Tệp này tạm thời không có trên máy chủ; mời bạn thử lại.") from None
    starts_the_file = byte_range is None or byte_range[0] == 0
    if document.is_public and starts_the_file and not head:
        counting.count("file_download", doc_file.pk, request)
        counting.count("document_download", document.pk, request)
    return response
