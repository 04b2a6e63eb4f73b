"""The site search: articles, documents and static pages for one query, grouped by kind.

Every kind is matched the same way (its own full-text vector, accent-insensitive, through
its QuerySet's search method), and each is capped so a word that most of a large archive
contains costs the same as a rare one: articles and documents rank only their newest
SEARCH_LIMIT matches."""

import hashlib

from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from documents import models as document_models
from documents.models import Document
from news import models as news_models
from news.models import Article
from news.views import paginate
from pages.models import Page
from portal import fragments, pagecache
from search.forms import SearchForm

# The first documents shown; the rest are one link away in the library, which pages them.
DOCUMENTS_SHOWN = 5
PAGES_SHOWN = 5


def _first_page_extras(q: str) -> dict:
    documents, count = Document.objects.published().for_list().best_matches(q, DOCUMENTS_SHOWN)
    static_pages = list(Page.objects.published().search(q).only("title", "slug")[:PAGES_SHOWN])
    return {"documents": documents, "document_count": count, "static_pages": static_pages}


@require_safe
@pagecache.cacheable
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "page": None}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        q = form.cleaned_data["q"]
        # A query asked again in the same content generation costs no query: the count is
        # in the shared cache, the results a fragment (search/results.html), and what they
        # read is lazy, so it runs only when that fragment is missing.
        digest = hashlib.md5(q.encode(), usedforsecurity=False).hexdigest()
        count_key = f"search:count:{fragments.generation_for(request)}:{digest}"
        articles = fragments.LazyRows(lambda: Article.objects.published().for_list().search(q))
        page = paginate(request, articles, count_key=count_key)
        context["page"] = page
        # Documents and pages are few and short: listed on the first page only, above the
        # articles, so later pages are the articles' own.
        if page.number == 1:
            context["extras"] = SimpleLazyObject(lambda: _first_page_extras(q))
    context.update(
        article_limit=news_models.SEARCH_LIMIT,
        document_limit=document_models.SEARCH_LIMIT,
    )
    return render(request, "search/results.html", context, status=status)
