from django.http import HttpResponseNotFound, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from pages import site
from pages.models import Page
from portal import pagecache
from portal.http import NotFound


@require_safe
@pagecache.cacheable
def page_detail(request, slug):
    queryset = Page.objects.all()
    user = request.user
    # A hidden page is previewed by the staff who may see pages in the admin, no one else.
    if not (user.is_authenticated and user.is_staff and user.has_perm("pages.view_page")):
        queryset = queryset.published()
    try:
        page = queryset.get(slug=slug)
    except Page.DoesNotExist:
        raise NotFound("Trang này không tồn tại hoặc đã được gỡ bỏ.") from None
    return render(request, "pages/page.html", {"page": page})


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on their own: send them to the one in the site
    settings, or answer a bare 404 (no page rendered, so no banner impression counted)."""
    record = site.get_settings()
    if record.favicon:
        return HttpResponseRedirect(record.favicon.url)
    return HttpResponseNotFound("", content_type="text/plain")
