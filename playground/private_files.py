"""Sending a stored private file (an attachment, an image, a video) to whoever the caller let in.

The caller decides who may see the file; this decides how it travels. Stored files never change
under their name, so the owner's browser may keep them (`immutable`) and revalidate by ETag.
Audio and video elements ask for byte ranges (`Range: bytes=0-` before playing, others to seek),
so single ranges are answered with 206; a range past the end is refused with 416, and anything
else in a Range header (several ranges, another unit, nonsense) is ignored, as RFC 9110 allows,
by sending the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.http.response import StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, parse_etags

CACHE_CONTROL = "private, max-age=86400, immutable"
# Shown, never run: no scripts even when opened on its own.
SANDBOX = "default-src 'none'; sandbox"
# Positions longer than this are not byte offsets of any stored file; the header is ignored.
RANGE = re.compile(r"^bytes=(\d{0,18})-(\d{0,18})$")
# One ranged answer sends at most this much; the browser asks again for the rest.
MOST_PER_ANSWER = 4 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


class ByteSpan(NamedTuple):
    """Bytes `first` to `last` of a file, both included (as Content-Range counts them)."""

    first: int
    last: int


class RangeNotSatisfiable(Exception):
    """The header asked for bytes the file does not have."""


def requested_span(header: str, size: int) -> ByteSpan | None:
    """The single byte range a Range header asks for, at most `MOST_PER_ANSWER` long; None to
    send the whole file. Raises RangeNotSatisfiable for a range that starts past the end."""
    match = RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # "bytes=-500": the last 500 bytes
        if int(last) == 0 or size == 0:
            raise RangeNotSatisfiable
        span = ByteSpan(max(0, size - int(last)), size - 1)
    else:
        if last and int(last) < int(first):
            return None  # not a valid range at all: ignored
        if int(first) >= size:
            raise RangeNotSatisfiable
        span = ByteSpan(int(first), min(int(last), size - 1) if last else size - 1)
    return ByteSpan(span.first, min(span.last, span.first + MOST_PER_ANSWER - 1))


def _range_applies(request: HttpRequest, etag: str) -> bool:
    """If-Range: a range of this file only if the browser's copy is this file (strong match);
    a date never matches, as no Last-Modified is sent."""
    if_range = request.headers.get("If-Range")
    return if_range is None or parse_etags(if_range) == [etag]


def _file_chunks(stored: FieldFile) -> Iterator[bytes]:
    with stored.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def _size(stored: FieldFile) -> int:
    try:
        return stored.size
    except (FileNotFoundError, ValueError):
        raise Http404("The stored file is missing.") from None


def _read_span(stored: FieldFile, span: ByteSpan) -> bytes:
    try:
        with stored.open("rb") as handle:
            handle.seek(span.first)
            return handle.read(span.last - span.first + 1)
    except (FileNotFoundError, ValueError):
        raise Http404("The stored file is missing.") from None


def _with_headers(response: HttpResponseBase, etag: str, disposition: str | None) -> None:
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Security-Policy"] = SANDBOX
    response["ETag"] = etag
    # Media is compressed already, and a gzipped 206 would no longer match its Content-Range:
    # naming the encoding keeps GZipMiddleware away (and the ETag strong for If-Range).
    response["Content-Encoding"] = "identity"
    if disposition:
        response["Content-Disposition"] = disposition


def private_file_response(
    request: HttpRequest | None,
    stored: FieldFile,
    *,
    content_type: str,
    etag: str | None = None,
    shown_name: str = "",
    download_name: str = "",
) -> HttpResponseBase:
    """The stored file, whole (200), in part (206), refused (416) or unchanged (304).

    A `download_name` makes the browser save the file under it; a `shown_name` only names it.
    `etag` defaults to one made from the stored name, which is unique and never reused. With no
    request (a caller not yet passing it), the whole file is sent unconditionally.
    """
    if not stored:
        raise Http404("There is no stored file.")
    etag = etag or f'"{stored.name.rsplit("/", 1)[-1]}"'
    disposition = content_disposition_header(bool(download_name), download_name or shown_name)
    if request is not None:
        unchanged = HttpResponse()
        _with_headers(unchanged, etag, None)
        answered = get_conditional_response(request, etag=etag, response=unchanged)
        if answered is not unchanged:
            return answered
    size = _size(stored)
    ranged = request is not None and _range_applies(request, etag)
    try:
        span = requested_span(request.headers.get("Range", ""), size) if ranged else None
    except RangeNotSatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        _with_headers(refused, etag, None)
        return refused
    if span is None:
        whole = StreamingHttpResponse(_file_chunks(stored), content_type=content_type)
        whole["Content-Length"] = str(size)
        _with_headers(whole, etag, disposition)
        return whole
    part = HttpResponse(_read_span(stored, span), status=206, content_type=content_type)
    part["Content-Range"] = f"bytes {span.first}-{span.last}/{size}"
    _with_headers(part, etag, disposition)
    return part
