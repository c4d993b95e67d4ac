"""Sending a stored attachment back to a browser; the caller has already decided who may see it."""

from __future__ import annotations

from pathlib import PurePath

from django.http import FileResponse, Http404

from playground.media.models import Attachment

# The bytes behind an id never change, so a browser may keep them; only the viewer's own cache.
CACHE_CONTROL = "private, max-age=86400, immutable"


def download_name(attachment: Attachment) -> str:
    """The uploader's name with the extension of what is stored (a TIFF is stored as JPEG)."""
    stem = PurePath(attachment.original_name).stem or str(attachment.pk)
    return stem + attachment.extension


def attachment_response(attachment: Attachment, *, thumbnail: bool = False) -> FileResponse:
    stored = attachment.thumbnail if thumbnail else attachment.file
    if not stored:
        raise Http404("This attachment has no thumbnail.")
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404("The stored file is missing.") from None
    response = FileResponse(
        handle,
        content_type="image/webp" if thumbnail else attachment.mime_type,
        filename=None if thumbnail else download_name(attachment),
    )
    response["Cache-Control"] = CACHE_CONTROL
    # The bytes are only ever shown, never run: no scripts even if opened on their own.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["ETag"] = f'"{attachment.sha256[:32]}{"-t" if thumbnail else ""}"'
    return response
