"""Which portal object an old NukeViet URL meant, read from the URL alone (no query).

NukeViet 4 builds every public link as `index.php?language=vi&nv=<module>&op=<op>` and,
with rewriting on, turns it into a path (`nv_url_rewrite_callback` in
`includes/functions.php`): `/<lang>/<module>/<op><end>`, where the language is left out
when `rewrite_optional` is on, the module is left out when it is the site's home module
(`rewrite_op_mod`), an `index.php/` prefix stays when the server cannot rewrite, and
`<end>` is `/` unless the op already ends in `.html` or is a tag. So one op has several
paths; this module brings them all back to (module, op) and reads the op the way the
module does:

- news (`modules/news/functions.php`): `<cat>` and `<cat>/page-N` are a category (the
  portal pages by another size, so a paged link opens the category's first page, never a
  page past its end), `<cat>/<alias>-<id>` a detail page (the id decides: NukeViet itself
  redirects a stale category), `print/<cat>/<alias>-<id>` and `savefile/...` its print and
  save links (`funcs/detail.php`: url_print, url_savefile), `tag/<alias>[/page-N]` a tag,
  `rss` and `rss/<cat>` the feeds (`funcs/rss.php`), an empty op or `page-N` the home.
- page (`modules/page`, installed as `about`, `siteterms`, ...): `<alias>` a static page.
- other modules the old pages link to (`seek`, `contact`, `voting`, `feeds`, ...): their
  root goes to the portal's page for the same thing, or the home page.
- laws (`module-laws`, `funcs/detail.php`): `detail/<alias>`, where the alias is the title
  slug followed by `-<id>` (`admin/main.php` saves `alias-id`) and the id decides; an alias
  without an id (older versions) is looked up as it is.
"""

import re
from dataclasses import dataclass

from django.conf import settings

# NukeViet's query-string names (NV_LANG_VARIABLE, NV_NAME_VARIABLE, NV_OP_VARIABLE) and the
# laws detail page's own; they are not carried over to the portal's URL.
LANG_PARAM, MODULE_PARAM, OP_PARAM = "language", "nv", "op"
NUKEVIET_PARAMS = frozenset({LANG_PARAM, MODULE_PARAM, OP_PARAM, "download", "pdf", "id"})

# NukeViet aliases are ASCII slugs, except tags, which keep Vietnamese letters when the
# module's `tags_alias` option is off. Anything else (NUL, dots, slashes) is no alias.
ALIAS_RE = re.compile(r"[\w-]{1,255}")
PAGE_RE = re.compile(r"page-([0-9]{1,6})")
DETAIL_RE = re.compile(r"([\w-]+)-([0-9]{1,19})")
BIGINT_MAX = 2**63 - 1


@dataclass(frozen=True)
class Wanted:
    """What an old URL asks for: a fixed portal page (`url_name`), or a LegacyLink row
    looked up by (kind, nv_id) or (kind, alias), shown as `view` (a URL name taking the
    object's slug; by default the object's own page)."""

    kind: str = ""
    nv_id: int | None = None
    alias: str = ""
    url_name: str = ""
    view: str = ""
    page: int = 1
    # Portal URL names to try in turn (the first that reverses), else the home page.
    url_names: tuple[str, ...] = ()


HOME = Wanted(url_name="news:home")
# NukeViet modules whose root the old pages print, and the portal's pages for the same
# thing, first that exists (contact and polls pages may not be installed: then home).
MODULE_ROOTS = {
    "seek": ("search:search",),
    "search": ("search:search",),
    "feeds": ("news:feeds",),
    "contact": ("contact:contact",),
    "voting": ("polls:list",),
    "statistics": (),
    "users": (),
}
SITE_FEED = Wanted(url_name="news:feed")
LIBRARY = Wanted(url_name="documents:library")


def modules() -> tuple[str, ...]:
    return (
        settings.NUKEVIET_NEWS_MODULE,
        settings.NUKEVIET_LAWS_MODULE,
        *settings.NUKEVIET_PAGE_MODULES,
        *MODULE_ROOTS,
    )


def from_path(path: str) -> Wanted | None:
    """`path` without its leading slash, as Django matched it."""
    segments = path.split("/")
    if segments[0] == "index.php":
        segments = segments[1:]
    if segments and segments[0] == settings.NUKEVIET_LANG:
        segments = segments[1:]
    module = settings.NUKEVIET_NEWS_MODULE  # the home module: no module in its paths
    if segments and segments[0] in modules():
        module, segments = segments[0], segments[1:]
    return from_op(module, "/".join(segments))


def from_query(params: dict[str, str]) -> Wanted | None:
    """`index.php?language=..&nv=..&op=..` (NukeViet also accepts `nv=<module>/<op>`)."""
    if params.get(LANG_PARAM, settings.NUKEVIET_LANG) != settings.NUKEVIET_LANG:
        return None
    module = params.get(MODULE_PARAM) or settings.NUKEVIET_NEWS_MODULE
    op = params.get(OP_PARAM, "")
    if "/" in module and not op:
        module, _, op = module.partition("/")
    return from_op(module, op)


def from_op(module: str, op: str) -> Wanted | None:
    op = op.removesuffix("/").removesuffix(".html")
    parts = op.split("/") if op else []
    if parts and parts[0] == "main":
        parts = parts[1:]
    if module == settings.NUKEVIET_NEWS_MODULE:
        return _news(parts)
    if module == settings.NUKEVIET_LAWS_MODULE:
        return _laws(parts)
    if module in settings.NUKEVIET_PAGE_MODULES:
        if not parts:  # the module's own list of pages: the portal has none
            return HOME
        if len(parts) == 1 and ALIAS_RE.fullmatch(parts[0]):
            return Wanted(kind="page", alias=f"{module}/{parts[0]}")
        return None
    if module in MODULE_ROOTS and not parts:
        return Wanted(url_names=MODULE_ROOTS[module])
    return None


def _news(parts: list[str]) -> Wanted | None:
    if not parts or (len(parts) == 1 and PAGE_RE.fullmatch(parts[0])):
        return HOME
    head, rest = parts[0], parts[1:]
    if head == "rss":
        if not rest:
            return SITE_FEED
        if len(rest) == 1 and ALIAS_RE.fullmatch(rest[0]):
            return Wanted(kind="category", alias=rest[0], view="news:category-feed")
        return None
    if head == "topic":  # modules/news/funcs/topic.php: topic/<alias>[/page-N]
        if 1 <= len(rest) <= 2 and ALIAS_RE.fullmatch(rest[0]):
            if len(rest) == 1 or PAGE_RE.fullmatch(rest[1]):
                return Wanted(kind="topic", alias=rest[0])
        return None
    if head == "tag":
        if 1 <= len(rest) <= 2 and ALIAS_RE.fullmatch(rest[0]):
            if len(rest) == 1 or PAGE_RE.fullmatch(rest[1]):
                return Wanted(kind="tag", alias=rest[0])
        return None
    if head in ("print", "savefile") and len(rest) == 2 and ALIAS_RE.fullmatch(rest[0]):
        detail = DETAIL_RE.fullmatch(rest[1])
        if not detail:
            return None
        wanted = _by_id("article", detail.group(2))
        if wanted and head == "print":
            return Wanted(kind="article", nv_id=wanted.nv_id, view="news:article-print")
        return wanted
    if not ALIAS_RE.fullmatch(head) or len(parts) > 2:
        return None
    if not rest or PAGE_RE.fullmatch(rest[0]):
        # NukeViet's page N of 20 is not the portal's page N: the first page, never a 404.
        return Wanted(kind="category", alias=head)
    detail = DETAIL_RE.fullmatch(rest[0])
    if detail:
        return _by_id("article", detail.group(2))
    return None


def _laws(parts: list[str]) -> Wanted | None:
    if not parts or (len(parts) == 1 and PAGE_RE.fullmatch(parts[0])):
        return LIBRARY
    if len(parts) == 2 and parts[0] == "detail" and ALIAS_RE.fullmatch(parts[1]):
        detail = DETAIL_RE.fullmatch(parts[1])
        if detail:
            return _by_id("document", detail.group(2))
        return Wanted(kind="document", alias=parts[1])
    return None


def _by_id(kind: str, digits: str) -> Wanted | None:
    nv_id = int(digits)
    # A bigint column: a larger number would be a database error, and matches nothing.
    return Wanted(kind=kind, nv_id=nv_id) if 0 < nv_id <= BIGINT_MAX else None
