"""Sending a stored attachment back to a browser; the caller has already decided who may see it."""

from __future__ import annotations

from pathlib import PurePath

from django.http import Http404, HttpRequest, HttpResponseBase

from playground.media.models import Attachment
from playground.private_files import private_file_response


def download_name(attachment: Attachment) -> str:
    """The uploader's name with the extension of what is stored (a TIFF is stored as JPEG)."""
    stem = PurePath(attachment.original_name).stem or str(attachment.pk)
    return stem + attachment.extension


def attachment_response(
    attachment: Attachment, *, thumbnail: bool = False, request: HttpRequest | None = None
) -> HttpResponseBase:
    """The file or its thumbnail. Pass the request to answer byte ranges (a long recording must
    seek) and revalidation; the bytes behind an id never change, so the hash is the ETag."""
    stored = attachment.thumbnail if thumbnail else attachment.file
    if not stored:
        raise Http404("This attachment has no thumbnail.")
    return private_file_response(
        request,
        stored,
        content_type="image/webp" if thumbnail else attachment.mime_type,
        etag=f'"{attachment.sha256[:32]}{"-t" if thumbnail else ""}"',
        shown_name="" if thumbnail else download_name(attachment),
    )
