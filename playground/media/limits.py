"""How much an upload may weigh and last, and the words used when it is too much."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# Room for the multipart boundaries, headers and the CSRF field around the file itself.
MULTIPART_ALLOWANCE = 64 * 1024


class UploadRefused(ValueError):
    """An upload that will not be stored; the message is meant for the person uploading."""


def size_label(byte_count: int) -> str:
    """`10 MB`, `1.5 MB`, `20 KB`, `900 bytes`: binary units, as the limits are set."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if byte_count >= size:
            value = f"{byte_count / size:.1f}".removesuffix(".0")
            return f"{value} {unit}"
    return f"{byte_count} bytes"


def duration_label(seconds: float) -> str:
    """`3.2 s` under a minute, `4:05` above."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True, slots=True)
class UploadLimits:
    image_bytes: int
    audio_bytes: int
    audio_seconds: int

    @classmethod
    def from_settings(cls) -> UploadLimits:
        return cls(
            image_bytes=settings.UPLOAD_MAX_IMAGE_BYTES,
            audio_bytes=settings.UPLOAD_MAX_AUDIO_BYTES,
            audio_seconds=settings.UPLOAD_MAX_AUDIO_SECONDS,
        )

    @property
    def largest(self) -> int:
        return max(self.image_bytes, self.audio_bytes)

    def bytes_for(self, kind: str) -> int:
        return self.image_bytes if kind == "image" else self.audio_bytes

    def while_receiving(self, declared_type: str) -> tuple[int, str]:
        """(limit, noun) to count against while bytes arrive, before anything is decoded.

        The browser's content type only picks which limit applies early; the decoded kind is
        checked again afterwards, so a wrong label cannot buy a larger allowance.
        """
        declared = declared_type.split("/")[0].strip().lower()
        if declared in {"image", "audio"}:
            noun = "images" if declared == "image" else "audio files"
            return self.bytes_for(declared), noun
        return self.largest, "uploads"

    def too_big(self, limit: int, noun: str) -> UploadRefused:
        return UploadRefused(f"This file is larger than {size_label(limit)}, the limit for {noun}.")

    def body_refusal(self, content_length: str | None) -> UploadRefused | None:
        """A refusal when the request announces more bytes than any upload may have."""
        try:
            announced = int(content_length or 0)
        except ValueError:
            return None
        if announced > self.largest + MULTIPART_ALLOWANCE:
            return self.too_big(self.largest, "uploads")
        return None
