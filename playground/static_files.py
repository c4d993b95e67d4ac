"""Static files served by the app itself, so one command gives a working site.

Text files (CSS, JS, SVG, JSON) are compressed whole at gzip's best level once, kept in memory
while they are unchanged, and sent compressed to browsers that accept it: smaller than the
middleware's level-6 stream, which restarts its blocks every 4 KB chunk, and no CPU per request.
Other files are streamed as they are. Conditional requests get 304 (Last-Modified). A
deployment behind a proxy can serve STATIC_ROOT (`manage.py collectstatic`) directly instead.
"""

from __future__ import annotations

import gzip
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.views import serve
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

CACHE_SECONDS = 3600
COMPRESSED_TYPES = {"text/css", "text/javascript", "application/javascript", "image/svg+xml",
                    "application/json", "text/plain"}  # fmt: skip
MAX_COMPRESSED_BYTES = 1024 * 1024  # larger files are streamed, never held in memory
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@dataclass(frozen=True)
class CompressedFile:
    signature: tuple[int, int]  # mtime_ns, size
    content_type: str
    plain: bytes
    gzipped: bytes


_compressed: dict[str, CompressedFile] = {}


def _compressed_file(found: Path, content_type: str) -> CompressedFile | None:
    stat = found.stat()
    if stat.st_size > MAX_COMPRESSED_BYTES:
        return None
    signature = (stat.st_mtime_ns, stat.st_size)
    known = _compressed.get(str(found))
    if known is None or known.signature != signature:
        plain = found.read_bytes()
        gzipped = gzip.compress(plain, compresslevel=9, mtime=0)
        known = CompressedFile(signature, content_type, plain, gzipped)
        _compressed[str(found)] = known
    return known


@login_not_required
@require_safe
def static_file(request: HttpRequest, path: str) -> HttpResponse:
    try:
        response = _compressed_response(request, path) or serve(request, path, insecure=True)
    except SuspiciousFileOperation:
        raise Http404("No such file.") from None
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def _compressed_response(request: HttpRequest, path: str) -> HttpResponse | None:
    """A text file's response from memory; None for other files (and missing ones: Django's
    own view answers them)."""
    content_type, encoding = mimetypes.guess_type(path)
    if content_type not in COMPRESSED_TYPES or encoding:
        return None
    found = finders.find(posixpath.normpath(path).lstrip("/"))
    if not found or not Path(found).is_file():
        return None
    known = _compressed_file(Path(found), content_type)
    if known is None:
        return None
    modified = known.signature[0] // 1_000_000_000
    if not was_modified_since(request.headers.get("if-modified-since"), modified):
        return HttpResponseNotModified()
    gzipped = bool(ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")))
    response = HttpResponse(known.gzipped if gzipped else known.plain, content_type=content_type)
    if gzipped:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    response["Last-Modified"] = http_date(modified)
    return response
