"""Reading a NukeViet 4.x database (MySQL or MariaDB) with PyMySQL.

Rows are streamed (server-side cursor) in batches, so 100,000 articles never sit in memory
at once. Text arrives as bytes and is decoded here, one value at a time: a value that is not
valid UTF-8 raises `MalformedRowError` for its row alone instead of breaking the whole stream.

Table names follow NukeViet's layout: `{prefix}_{lang}_{module}_rows` for a module's data,
`{prefix}_{lang}_comment` for comments (older versions: `_comments`, or `{prefix}_comment`),
`{prefix}_banners_*` and `{prefix}_counter` shared by every language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import pymysql
import pymysql.cursors
from django.utils import timezone

# Timestamps outside these years are not real publication times (an unset 0, a corrupt
# 4294967295); the row is reported instead of being dated 1970 or 2106.
MIN_YEAR, MAX_YEAR = 1990, 2100
_IDENT = re.compile(r"^[A-Za-z0-9_]+$")


class MalformedRowError(Exception):
    """A source row that cannot be imported; the message says why (in Vietnamese)."""


def text(value, column: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedRowError(f"cột {column} có byte không phải UTF-8") from None
    return str(value)


def timestamp(value, column: str = "") -> datetime | None:
    """A NukeViet int timestamp as an aware datetime; None for an unset 0."""
    if value in (None, 0, b"0", "0"):
        return None
    try:
        if isinstance(value, datetime):  # a DATETIME column (customised tables)
            moment = value if value.tzinfo else timezone.make_aware(value)
        else:  # NukeViet's int seconds; b"0000-00-00" and other junk fail here
            moment = datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, TypeError, OverflowError, OSError):
        raise MalformedRowError(f"cột {column} có thời gian không hợp lệ ({value!r})") from None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise MalformedRowError(f"cột {column} có thời gian ngoài khoảng hợp lệ ({value!r})")
    return moment


def id_list(value) -> list[int]:
    """'1,5, 7' -> [1, 5, 7]; junk is dropped."""
    out = []
    for part in text(value).split(","):
        part = part.strip()
        if part.isdigit() and int(part) > 0:
            out.append(int(part))
    return out


class Source:
    def __init__(self, url: str, *, prefix: str = "nv4", lang: str = "vi", module: str = "news"):
        for name, value in (("prefix", prefix), ("lang", lang), ("module", module)):
            if not _IDENT.match(value):
                raise ValueError(f"{name} không hợp lệ: {value!r}")
        self.prefix, self.lang, self.module = prefix, lang, module
        parts = urlsplit(url)
        if parts.scheme not in ("mysql", "mariadb"):
            raise ValueError("Địa chỉ nguồn phải có dạng mysql://user:mật-khẩu@máy:3306/tên-csdl")
        self._params = dict(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or "root"),
            password=unquote(parts.password or ""),
            database=parts.path.lstrip("/"),
            charset="utf8mb4",
            use_unicode=False,
            # A streamed result waits while a batch is written to PostgreSQL; the server's
            # default (60 s) would drop the connection under a slow batch.
            init_command="SET SESSION net_write_timeout = 3600, net_read_timeout = 3600",
        )
        if not self._params["database"]:
            raise ValueError("Địa chỉ nguồn thiếu tên cơ sở dữ liệu")
        # One connection streams, the other answers the small look-ups of each batch
        # (a streaming connection can run nothing else until its result is read).
        self._stream = pymysql.connect(**self._params, cursorclass=pymysql.cursors.SSCursor)
        self._lookup = pymysql.connect(**self._params)
        self._tables: set[str] | None = None
        self._columns: dict[str, set[str]] = {}

    def close(self) -> None:
        for conn in (self._stream, self._lookup):
            try:
                conn.close()
            except Exception:  # noqa: S110 - closing a dead connection is no error
                pass

    # -- names ------------------------------------------------------------------------

    def table(self, suffix: str, *, module: str | None = None) -> str:
        if module is not None and not _IDENT.match(module):
            raise ValueError(f"tên module không hợp lệ: {module!r}")
        return f"{self.prefix}_{self.lang}_{module or self.module}_{suffix}"

    def tables(self) -> set[str]:
        if self._tables is None:
            with self._lookup.cursor() as cur:
                cur.execute("SHOW TABLES")
                self._tables = {text(row[0]) for row in cur.fetchall()}
        return self._tables

    def has(self, table: str) -> bool:
        return table in self.tables()

    def columns(self, table: str) -> set[str]:
        if table not in self._columns:
            with self._lookup.cursor() as cur:
                cur.execute(f"SHOW COLUMNS FROM `{table}`")
                self._columns[table] = {text(row[0]) for row in cur.fetchall()}
        return self._columns[table]

    def comment_table(self) -> str | None:
        for name in (
            f"{self.prefix}_{self.lang}_comment",
            f"{self.prefix}_{self.lang}_comments",
            f"{self.prefix}_comment",
        ):
            if self.has(name):
                return name
        return None

    # -- reading ----------------------------------------------------------------------

    def all(self, sql: str, params=()) -> list[dict]:
        """A small result (categories, tags, plans), as dicts."""
        with self._lookup.cursor() as cur:
            cur.execute(sql, params)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def count(self, sql: str, params=()) -> int:
        with self._lookup.cursor() as cur:
            cur.execute(sql, params)
            return int(cur.fetchone()[0] or 0)

    def stream(self, sql: str, params=(), batch: int = 1000) -> Iterator[list[dict]]:
        """A large result in batches of dicts, read as it comes (server-side cursor)."""
        cur = self._stream.cursor()
        try:
            cur.execute(sql, params)
            names = [d[0] for d in cur.description]
            while True:
                rows = cur.fetchmany(batch)
                if not rows:
                    break
                yield [dict(zip(names, row, strict=True)) for row in rows]
        finally:
            cur.close()
