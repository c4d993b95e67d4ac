"""One uploaded file, judged by its bytes: a clean image, a sound file with a duration, or no."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from playground.media.audio_check import (
    AudioFacts,
    audio_check,
    looks_like_mp3,
    looks_like_wav,
    other_audio_name,
)
from playground.media.image_check import CheckedImage, image_check, looks_like_heif
from playground.media.limits import UploadLimits, UploadRefused, size_label

# What the file picker offers; the bytes decide in the end.
ACCEPT = (
    "image/png,image/jpeg,image/webp,image/gif,image/bmp,image/tiff,"
    "audio/wav,audio/x-wav,audio/wave,audio/mpeg,.wav,.mp3"
)
SNIFF_BYTES = 16


@dataclass(frozen=True, slots=True)
class CheckedAudio:
    """A WAV or MP3 file kept byte for byte, with what its headers say."""

    data: bytes
    facts: AudioFacts

    @property
    def mime_type(self) -> str:
        return self.facts.mime_type


CheckedUpload = CheckedImage | CheckedAudio


def _kind_of(head: bytes) -> str:
    if looks_like_wav(head):
        return "audio"
    if other := other_audio_name(head):
        if looks_like_heif(head):
            raise UploadRefused(
                "HEIC/AVIF pictures cannot be read here. Save or export the photo as JPEG or "
                "PNG first."
            )
        raise UploadRefused(f"This is {other} audio; only WAV and MP3 can be sent. Convert it.")
    return "audio" if looks_like_mp3(head) else "image"


def upload_check(upload: UploadedFile, *, limits: UploadLimits) -> CheckedUpload:
    """The file as it will be stored, or UploadRefused saying plainly what is wrong."""
    size = upload.size or 0
    if size == 0:
        raise UploadRefused("This file is empty.")
    upload.seek(0)
    kind = _kind_of(upload.read(SNIFF_BYTES))
    limit = limits.bytes_for(kind)
    if size > limit:
        noun = "images" if kind == "image" else "audio files"
        raise UploadRefused(
            f"This file is {size_label(size)}; {noun} may be at most {size_label(limit)}."
        )
    if kind == "image":
        return image_check(upload, max_bytes=limit)
    facts = audio_check(upload, size, max_seconds=limits.audio_seconds)
    upload.seek(0)
    return CheckedAudio(data=upload.read(), facts=facts)
