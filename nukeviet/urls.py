"""Old NukeViet URLs, included last by portal/urls.py.

URL patterns rather than a 404-fallback middleware: Django tries them only once every
portal pattern has failed, so a portal page pays nothing for them, and an old URL gets
its redirect without the 404 page (the site-wide blocks of base.html) being rendered first.
Each pattern matches a shape no portal URL has; the last one, NukeViet's home-module
category `/<cat>/`, is the only catch-all, and it comes after everything else.
"""

import re

from django.conf import settings
from django.urls import re_path

from nukeviet import views

app_name = "nukeviet"

_lang = re.escape(settings.NUKEVIET_LANG)
_modules = "|".join(
    re.escape(m) for m in (settings.NUKEVIET_NEWS_MODULE, settings.NUKEVIET_LAWS_MODULE)
)

urlpatterns = [
    re_path(r"^index\.php$", views.old_query, name="query"),
    # index.php/..., /vi/..., /news/..., /laws/... (the module root with or without a slash).
    re_path(
        rf"^(?P<path>(?:index\.php|{_lang}|{_modules})(?:/.*)?)$", views.old_path, name="prefixed"
    ),
    # The home module's detail pages and feeds: /<cat>/<alias>-<id>.html, /rss/<cat>/,
    # a page module's /about/<alias>.html; print and save links /print/<cat>/<alias>-<id>.html.
    re_path(r"^(?P<path>[^/]+/[^/]+\.html)$", views.old_path, name="detail"),
    re_path(r"^(?P<path>(?:print|savefile)/[^/]+/[^/]+\.html)$", views.old_path, name="print"),
    # The home module's tags, printed without a slash: /tag/<alias>, /tag/<alias>/page-2.
    re_path(r"^(?P<path>tag/[^/]+(?:/page-[0-9]+)?/?)$", views.old_path, name="tag"),
    re_path(r"^(?P<path>rss/[^/]+/?)$", views.old_path, name="feed"),
    # The home module's categories: /<cat>/, /<cat>/page-2/.
    re_path(r"^(?P<path>[^/.]+/(?:page-[0-9]+/?)?)$", views.old_path, name="category"),
]
