"""Sending a stored file to its owner; the caller has already checked who is asking."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

# A stored file never changes under its name: the owner's browser may keep it.
CACHE_CONTROL = "private, max-age=86400, immutable"


def stored_file_response(
    stored: FieldFile, *, content_type: str, download_name: str | None = None
) -> FileResponse:
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The stored file is missing.") from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=download_name is not None,
        filename=download_name or "",
    )
    response["Cache-Control"] = CACHE_CONTROL
    # Shown, never run: no scripts even when opened on its own.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
