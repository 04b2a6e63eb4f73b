"""Files of the old site: copied from NukeViet's `uploads/` folder into the portal's storage,
once, under a name made from the old path (`nukeviet/news/2020_05/anh.jpg`), so a second run
finds them there and copies nothing. Links to them inside bodies are rewritten to the copy.

A missing file is reported with the object that wanted it and never stops the import; the
link keeps pointing at the old address (the sanitiser drops a relative image source).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files import File
from django.core.files.storage import Storage, default_storage

PREFIX = "nukeviet"
_ATTR = re.compile(r"""(\b(?:src|href)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


class Media:
    def __init__(self, uploads: Path | None, *, old_hosts=(), dry_run=False):
        self.uploads = Path(uploads) if uploads else None
        self.old_hosts = {h.lower() for h in old_hosts if h}
        self.dry_run = dry_run
        self._done: dict[tuple[int, str], str | None] = {}
        self.copied = 0

    def relative(self, value: str) -> str | None:
        """The path under uploads/ that an URL or path of the old site points at, or None."""
        value = unquote(value.strip())
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme in ("http", "https"):
            host = (parts.hostname or "").lower()
            if host not in self.old_hosts and host.removeprefix("www.") not in self.old_hosts:
                return None
            value = parts.path
        elif parts.scheme or value.startswith("//"):
            return None
        else:
            value = parts.path
        path = posixpath.normpath("/" + value.replace("\\", "/"))
        marker = "/uploads/"
        if marker not in path:
            return None
        rel = path.split(marker, 1)[1]
        if not rel or rel.startswith("..") or "/../" in rel:
            return None
        return rel

    def stored_name(self, rel: str, storage: Storage) -> str:
        segments = [storage.get_valid_name(s) for s in rel.split("/") if s not in ("", ".")]
        return "/".join([PREFIX, *segments])

    def copy(self, rel: str, storage: Storage = default_storage) -> str | None:
        """Copy uploads/<rel> into storage (once) and return its stored name, or None."""
        key = (id(storage), rel)
        if key in self._done:
            return self._done[key]
        name = self.stored_name(rel, storage)
        source = self.uploads / rel if self.uploads else None
        if storage.exists(name):
            result = name
        elif source is None or not source.is_file():
            result = None
        elif self.dry_run:
            result = name
        else:
            with open(source, "rb") as f:
                result = storage.save(name, File(f, name=posixpath.basename(name)))
            self.copied += 1
        self._done[key] = result
        return result

    def rewrite(self, html: str, missing: list[str]) -> str:
        """Point src/href at the copies of old uploads; list what was not found."""
        if "uploads" not in html:
            return html

        def replace(match):
            rel = self.relative(match.group(3))
            if rel is None:
                return match.group(0)
            name = self.copy(rel)
            if name is None:
                missing.append(rel)
                return match.group(0)
            return f"{match.group(1)}{match.group(2)}{default_storage.url(name)}{match.group(2)}"

        return _ATTR.sub(replace, html)
