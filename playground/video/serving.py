"""Sending a stored video to its owner, with byte ranges: browsers ask for `Range: bytes=0-`
before they play, and need ranges to seek."""

from __future__ import annotations

import re

from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase

from playground.images.serving import CACHE_CONTROL, stored_file_response

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# One answer sends at most this much; the browser asks again for the rest.
MOST_PER_ANSWER = 4 * 1024 * 1024


def _span(header: str, total: int) -> tuple[int, int] | None:
    """First and last byte asked for by a single-range header, or None when it cannot be met."""
    match = RANGE.match(header.strip())
    if not match or total == 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # "bytes=-500": the last 500 bytes
        start, end = max(0, total - int(last)), total - 1
    else:
        start, end = int(first), min(int(last), total - 1) if last else total - 1
    if start > end or start >= total:
        return None
    return start, min(end, start + MOST_PER_ANSWER - 1)


def video_file_response(
    request: HttpRequest, stored: FieldFile, *, content_type: str, download_name: str | None
) -> HttpResponseBase:
    header = request.headers.get("Range", "")
    if not header or download_name is not None:
        response = stored_file_response(
            stored, content_type=content_type, download_name=download_name
        )
        response["Accept-Ranges"] = "bytes"
        return response
    try:
        total = stored.size
        span = _span(header, total)
        if span is None:
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{total}"
            return refused
        start, end = span
        with stored.open("rb") as handle:
            handle.seek(start)
            chunk = handle.read(end - start + 1)
    except (FileNotFoundError, ValueError):
        raise Http404("The stored file is missing.") from None
    response = HttpResponse(chunk, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{total}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
