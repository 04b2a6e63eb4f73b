"""Sending an attached file: whole, or one byte range of it, or through nginx.

Range requests (RFC 9110 §14). Browsers' PDF viewers fetch a document in ranges; a single
range is answered with 206 and `Content-Range`. Choices made here:

- A `Range` header that cannot be parsed (`bytes=abc`, `bytes=5-2`, another unit) is a
  400 with a message. RFC 9110 lets a server ignore such a header and send the whole file,
  but a 400 tells the client (and a test) that its header was wrong instead of silently
  sending megabytes it did not ask for.
- A well-formed range that starts at or beyond the end of the file is a 416 with
  `Content-Range: bytes */size`, as the RFC says.
- Several ranges (`bytes=0-9,20-29`) are valid but answered with the whole file (200):
  the RFC allows it, and no viewer we serve needs multipart/byteranges.
- `If-Range` with a validator other than the current ETag means the file changed (staff
  replaced it): the whole new file is sent, so a viewer never stitches two versions.
"""

import hashlib
import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

MAX_RANGE_HEADER = 200
_SPEC_RE = re.compile(r"([0-9]*)-([0-9]*)")  # [0-9], not \d: no other scripts' digits
CHUNK = 64 * 1024


class MalformedRangeError(Exception):
    pass


class RangeNotSatisfiableError(Exception):
    pass


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one byte range to send, as (first, last) inclusive, or None for the whole file.

    Raises MalformedRangeError or RangeNotSatisfiableError.
    """
    if header is None:
        return None
    header = header.strip()
    if not header or len(header) > MAX_RANGE_HEADER:
        raise MalformedRangeError
    unit, sep, spec = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        raise MalformedRangeError
    parts = [p.strip() for p in spec.split(",")]
    ranges = [_parse_spec(p, size) for p in parts]
    if len(ranges) > 1:
        return None
    return ranges[0]


def _parse_spec(spec: str, size: int) -> tuple[int, int]:
    match = _SPEC_RE.fullmatch(spec)
    if match is None or not (match[1] or match[2]):
        raise MalformedRangeError
    if match[1]:
        first = int(match[1])
        if match[2] and int(match[2]) < first:
            raise MalformedRangeError
        if first >= size:
            raise RangeNotSatisfiableError
        last = int(match[2]) if match[2] else size - 1
        return first, min(last, size - 1)
    suffix = int(match[2])  # the last `suffix` bytes
    if suffix == 0 or size == 0:
        raise RangeNotSatisfiableError
    return max(0, size - suffix), size - 1


def etag_for(name: str, size: int) -> str:
    """Strong validator: a replaced file gets a new random storage name, hence a new tag."""
    digest = hashlib.sha256(f"{name}:{size}".encode()).hexdigest()[:20]
    return f'"{digest}"'


def _range_chunks(handle, first: int, last: int):
    try:
        handle.seek(first)
        remaining = last - first + 1
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def build_response(
    *, doc_file, path: str, size: int, byte_range, inline: bool, head: bool
) -> HttpResponse:
    """The response for a file already checked to be readable at `path` with `size` bytes."""
    disposition = content_disposition_header(not inline, doc_file.original_name)
    headers = {
        "Content-Disposition": disposition,
        "Accept-Ranges": "bytes",
        "ETag": etag_for(doc_file.file.name, size),
        # Never in a shared cache: every download must reach the portal to be counted, and
        # a staff preview of a draft must not be served to anybody else.
        "Cache-Control": "private, no-transform",
    }
    content_type = doc_file.content_type
    prefix = settings.SENDFILE_X_ACCEL_PREFIX
    if prefix and not head:
        # nginx sends the file (and answers the Range itself) from an `internal` location:
        #   location /_documents/ { internal; alias /srv/portal/var/documents/; }
        # with SENDFILE_X_ACCEL_PREFIX=/_documents/
        response = HttpResponse(content_type=content_type, headers=headers)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(doc_file.file.name)
        response["X-Accel-Buffering"] = "no"
        return response
    if byte_range is None:
        if head:
            response = HttpResponse(content_type=content_type, headers=headers)
            response["Content-Length"] = str(size)
            return response
        response = FileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115 - closed by the response
        for key, value in headers.items():
            response[key] = value
        return response
    first, last = byte_range
    headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    length = last - first + 1
    if head:
        response = HttpResponse(status=206, content_type=content_type, headers=headers)
    else:
        response = StreamingHttpResponse(
            _range_chunks(open(path, "rb"), first, last),  # noqa: SIM115 - closed by the generator
            status=206,
            content_type=content_type,
            headers=headers,
        )
    response["Content-Length"] = str(length)
    return response


def not_satisfiable(size: int) -> HttpResponse:
    response = HttpResponse(
        "Khoảng byte yêu cầu nằm ngoài tệp.", status=416, content_type="text/plain; charset=utf-8"
    )
    response["Content-Range"] = f"bytes */{size}"
    return response


def malformed() -> HttpResponse:
    return HttpResponse(
        "Tiêu đề Range không hợp lệ.", status=400, content_type="text/plain; charset=utf-8"
    )
