"""Old NukeViet links answer with a permanent redirect to the portal's page.

Reached only through nukeviet/urls.py, whose patterns come after every portal pattern and
match only NukeViet's shapes: a portal page never pays for them. A redirect costs one
indexed query, the LegacyLink row joined to the object it became; an old URL of something
not imported, not public, or not an URL NukeViet makes, is the portal's usual 404.
"""

from urllib.parse import parse_qsl, urlencode

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse
from django.views.decorators.common import no_append_slash
from django.views.decorators.http import require_safe

from nukeviet import oldlinks
from nukeviet.models import LegacyLink

# The foreign key each kind follows, and the target's columns a redirect reads.
TARGETS = {
    LegacyLink.Kind.ARTICLE: ("article", ["slug", "status", "publish_at"]),
    LegacyLink.Kind.CATEGORY: ("category", ["slug"]),
    LegacyLink.Kind.TAG: ("tag", ["slug"]),
    LegacyLink.Kind.DOCUMENT: ("document", ["slug", "status"]),
    LegacyLink.Kind.PAGE: ("page", ["slug", "is_published"]),
    LegacyLink.Kind.TOPIC: ("topic", ["slug"]),
}
# No NukeViet link has a longer query string: a longer one is no old link, and not parsed.
QUERY_MAX = 2048


# Without no_append_slash, CommonMiddleware would send every unknown `/word` to `/word/`
# just because the home-module category pattern matches it; unknown URLs stay plain 404s.
@no_append_slash
@require_safe
def old_path(request, path):
    """`/news/<cat>/<alias>-<id>.html`, `/vi/laws/detail/<alias>/`, `/<cat>/page-2/` ..."""
    return _redirect(request, oldlinks.from_path(path))


@no_append_slash
@require_safe
def old_query(request):
    """`/index.php?language=vi&nv=news&op=<cat>/<alias>-<id>.html` (any order, `&amp;`)."""
    return _redirect(request, oldlinks.from_query(_nukeviet_params(request)))


def _redirect(request, wanted: oldlinks.Wanted | None):
    if wanted is None:
        raise Http404
    if wanted.url_name:
        url = reverse(wanted.url_name)
    elif not wanted.kind:
        url = _first_url(wanted.url_names)
    else:
        url = _object_url(wanted)
    params = _other_params(request)
    if wanted.page > 1:
        params.append(("page", str(wanted.page)))
    if params:
        url = f"{url}?{urlencode(params)}"
    return HttpResponsePermanentRedirect(url)


def _first_url(names: tuple[str, ...]) -> str:
    """The first of these portal pages that is installed (a contact or polls app may not
    be), else the home page."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return reverse("news:home")


def _object_url(wanted: oldlinks.Wanted) -> str:
    field, columns = TARGETS[wanted.kind]
    links = (
        LegacyLink.objects.filter(kind=wanted.kind)
        .select_related(field)
        .only("kind", field, *(f"{field}__{c}" for c in columns))
    )
    if wanted.nv_id is not None:
        links = links.filter(nv_id=wanted.nv_id)
    else:
        links = links.filter(alias=wanted.alias)
    link = links.first()
    target = getattr(link, field, None) if link else None
    # Not public (a draft, a scheduled article): a 404 like any unknown URL, and no
    # Location that would give away the slug, that is the title.
    public = getattr(target, "is_public", getattr(target, "is_published", True))
    if target is None or not public:
        raise Http404
    if wanted.view:
        return reverse(wanted.view, kwargs={"slug": target.slug})
    return target.get_absolute_url()


def _query_pairs(request) -> list[tuple[str, str]]:
    raw = request.META.get("QUERY_STRING", "")
    if len(raw) > QUERY_MAX:
        raise Http404
    # NukeViet printed its links HTML-escaped; copied from a page source they keep `&amp;`.
    return parse_qsl(raw.replace("&amp;", "&"), keep_blank_values=True)


def _nukeviet_params(request) -> dict[str, str]:
    return {k: v for k, v in _query_pairs(request) if k in oldlinks.NUKEVIET_PARAMS}


def _other_params(request) -> list[tuple[str, str]]:
    """The rest of the query string (utm_source, fbclid ...) goes along to the new URL."""
    return [(k, v) for k, v in _query_pairs(request) if k not in oldlinks.NUKEVIET_PARAMS]
