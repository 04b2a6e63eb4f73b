"""Cached reads of the documents app: the "Văn bản mới" block and the filter choices.

Staff changes invalidate them (documents.signals). "Văn bản mới" also expires after a few
minutes, because its view and download counts move without any staff change.
"""

from dataclasses import dataclass

from django.core.cache import cache

from documents.models import Document, DocumentType, ExaminingBody, IssuingBody, Signer, Topic

LATEST_KEY = "documents:latest:v1"
LATEST_TTL = 300
FACETS_KEY = "documents:facets:v1"
SITEMAP_KEY = "documents:sitemap:v1"
# Invalidated on every change; the expiry only bounds what a cache that outlives its
# database (a development reset, a restored backup) can serve.
LONG_TTL = 3600


def latest(limit: int = 5) -> list[dict]:
    rows = cache.get(LATEST_KEY)
    if rows is None:
        rows = list(
            Document.objects.published().values(
                "code", "title", "slug", "view_count", "download_count"
            )[:limit]
        )
        cache.set(LATEST_KEY, rows, LATEST_TTL)
    return rows


@dataclass(frozen=True)
class Facet:
    """The choices of one filter: (value in the URL, label) and value -> primary key."""

    choices: list[tuple[str, str]]
    ids: dict[str, int]


def _facet(rows) -> Facet:
    return Facet(choices=[(v, label) for v, label, _ in rows], ids={v: pk for v, _, pk in rows})


def facets() -> dict[str, Facet]:
    """Types, issuing bodies, signers and fields: a handful of rows each, read together
    once and then cached, so the library page spends no query on its filter form."""
    cached = cache.get(FACETS_KEY)
    if cached is not None:
        return cached
    result = {
        "types": _facet(
            [(t.slug, t.name, t.pk) for t in DocumentType.objects.only("slug", "name")]
        ),
        "issuers": _facet(
            [(t.slug, t.name, t.pk) for t in IssuingBody.objects.only("slug", "name")]
        ),
        "signers": _facet([(str(s.pk), str(s), s.pk) for s in Signer.objects.all()]),
        "topics": _facet([(t.slug, t.name, t.pk) for t in Topic.objects.only("slug", "name")]),
        "examiners": _facet(
            [(t.slug, t.name, t.pk) for t in ExaminingBody.objects.only("slug", "name")]
        ),
    }
    cache.set(FACETS_KEY, result, LONG_TTL)
    return result


def sitemap_items() -> list[tuple[str, object]]:
    """(slug, updated_at) of every published document, oldest first: the sitemap reads
    the cache, so the sitemap index costs no query for this section."""
    rows = cache.get(SITEMAP_KEY)
    if rows is None:
        rows = list(Document.objects.published().order_by("pk").values_list("slug", "updated_at"))
        cache.set(SITEMAP_KEY, rows, LONG_TTL)
    return rows


def invalidate_documents() -> None:
    """A document was saved, deleted, published or withdrawn."""
    cache.delete_many([LATEST_KEY, SITEMAP_KEY])


def invalidate_facets() -> None:
    cache.delete(FACETS_KEY)
