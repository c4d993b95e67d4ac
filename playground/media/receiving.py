"""Counting an upload's bytes while they arrive, so a file past its limit is never kept whole."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from playground.media.limits import UploadLimits, UploadRefused


class SizeLimitedUpload(FileUploadHandler):
    """Runs first among the upload handlers and drops a file as soon as it passes its limit.

    Django's own handlers, after this one, keep the bytes in memory up to
    FILE_UPLOAD_MAX_MEMORY_SIZE and in a temporary file past it; a dropped file's partial
    temporary file is closed and removed by the parser. `refusal` says why a file was dropped.
    """

    def __init__(self, request: HttpRequest | None = None, *, limits: UploadLimits) -> None:
        super().__init__(request)
        self.limits = limits
        self.refusal: UploadRefused | None = None
        self._limit = limits.largest
        self._noun = "uploads"
        self._received = 0

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        self._limit, self._noun = self.limits.while_receiving(content_type or "")
        self._received = 0
        if content_length is not None and content_length > self._limit:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self._received += len(raw_data)
        if self._received > self._limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        # The next handler stores the file; this one only counted.
        return None

    def _refuse(self) -> None:
        self.refusal = self.limits.too_big(self._limit, self._noun)
        raise SkipFile(str(self.refusal))
