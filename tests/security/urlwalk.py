"""Every URL pattern of the site, made into real paths: the walks of the CSRF and the
visibility tests. A pattern's arguments are filled from candidate values (the slugs and
ids of the objects a test made); combinations that do not reverse are skipped."""

import itertools
import re

from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern


def _params(pattern) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return tuple(pattern.regex.groupindex)
    return ()


def _sample(pattern) -> str:
    """The pattern's text with every argument replaced by "1" (for unnamed patterns)."""
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text.lstrip("^").rstrip("$"))
        return text.replace("\\", "")
    return re.sub(r"<[^>]+>", "1", text)


def patterns() -> list[tuple[str, tuple[str, ...], str]]:
    """(name with namespaces, argument names, sample path) for every pattern of the site.
    An unnamed pattern is named by its sample path, which stands for it."""
    found = []

    def walk(entries, namespace, params, prefix):
        for entry in entries:
            sample = prefix + _sample(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, inner, params + _params(entry.pattern), sample)
            elif entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append((name, params + _params(entry.pattern), ""))
            else:
                found.append(("/" + sample, (), "/" + sample))

    walk(get_resolver().url_patterns, "", (), "")
    return found


def paths(name: str, params: tuple[str, ...], values: dict[str, list[str]]) -> list[str]:
    """Every path of the named pattern for the candidate values of its arguments."""
    if name.startswith("/"):
        return [name]
    if not params:
        return [reverse(name)]
    out = []
    choices = [values.get(param, values["*"]) for param in params]
    for combo in itertools.product(*choices):
        try:
            out.append(reverse(name, kwargs=dict(zip(params, combo, strict=True))))
        except NoReverseMatch:
            continue
    return sorted(set(out))
