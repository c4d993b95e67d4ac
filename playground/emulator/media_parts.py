"""Pictures and sound inside chat messages, opened as Gemini must open them, then described.

A reply names what arrived (format, pixels or seconds, byte count and the start of a SHA-256 of
the bytes), so whoever attached something can see it came through intact. Pictures are decoded
with Pillow, WAV read with the standard library's `wave`, MP3 demuxed with PyAV: none of the
playground's own upload checks, so a bug there cannot hide behind the same bug here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import wave
from dataclasses import dataclass
from typing import Any

from PIL import Image

from playground.emulator.errors import GeminiError, invalid_argument, invalid_value
from playground.emulator.picture_decoding import MEGAPIXELS, picture_read, pixels_label

DATA_URL = re.compile(r"data:(?P<mime>[^;,]*)(?P<params>(?:;[^;,]*)*),(?P<data>.*)", re.DOTALL)
# What Gemini takes inline as a picture; HEIC/HEIF are accepted but Pillow cannot open them.
IMAGE_MIME_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"})
UNDECODED_IMAGE_TYPES = frozenset({"image/heic", "image/heif"})
PILLOW_MIME_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "WEBP": "image/webp",
}
# MPO (multi-picture JPEG from phones) is read by the JPEG decoder.
PILLOW_FORMATS = ("PNG", "JPEG", "WEBP")
AUDIO_FORMATS = ("mp3", "wav")
# Gemini's published rates: 258 tokens a picture, 32 tokens a second of sound.
IMAGE_TOKENS = 258
AUDIO_TOKENS_PER_SECOND = 32
UNPROCESSABLE_IMAGE = (
    "Unable to process input image. Please retry or report in "
    "https://developers.generativeai.google/guide/troubleshooting"
)
PREVIEW_CHARACTERS = 48
HASH_CHARACTERS = 12
TIMES = "\u00d7"


@dataclass(frozen=True, slots=True)
class ReceivedMedia:
    noun: str  # "image" or "audio clip", as the reply names it
    summary: str
    tokens: int


class _Unreadable(Exception):
    """Sound bytes that do not hold what their format says; the reply reports it."""


def _fingerprint(data: bytes) -> str:
    return f"{len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()[:HASH_CHARACTERS]}"


def _base64_failure(where: str, text: str) -> GeminiError:
    preview = text if len(text) <= PREVIEW_CHARACTERS else text[:PREVIEW_CHARACTERS] + "…"
    return invalid_argument(
        f"Invalid value at '{where}' (TYPE_BYTES), Base64 decoding failed for \"{preview}\""
    )


def _base64_bytes(text: str, where: str) -> bytes:
    """Standard or URL-safe alphabet, padding optional: what a protobuf `bytes` field takes."""
    altchars = b"-_" if "-" in text or "_" in text else None
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        raise _base64_failure(where, text) from None


def _decoded_facts(image: Image.Image) -> tuple[str, int, int]:
    image.load()
    return image.format or "", image.width, image.height


def _too_large(width: int, height: int) -> GeminiError:
    return invalid_argument(
        f"{UNPROCESSABLE_IMAGE} (The image has {pixels_label(width, height)}; at most "
        f"{MEGAPIXELS} megapixels are read.)"
    )


def _picture(data: bytes) -> tuple[str, int, int]:
    """(Pillow format, width, height) of a fully decoded picture, or Gemini's 400."""
    return picture_read(
        data,
        formats=PILLOW_FORMATS,
        use=_decoded_facts,
        unreadable=lambda: invalid_argument(UNPROCESSABLE_IMAGE),
        too_large=_too_large,
    )


def image_part_read(image_url: dict[str, Any], where: str) -> ReceivedMedia:
    """An `image_url` part whose `url` is a `data:` URL (http(s) are refused before this)."""
    url = image_url["url"]
    match = DATA_URL.fullmatch(url)
    if match is None or ";base64" not in match["params"].lower():
        raise _base64_failure(f"{where}.image_url.url", url)
    mime_type = match["mime"].strip().lower()
    data = _base64_bytes(match["data"], f"{where}.image_url.url")
    if mime_type not in IMAGE_MIME_TYPES:
        raise invalid_argument(f"Unsupported MIME type: {mime_type or match['mime']}")
    if mime_type in UNDECODED_IMAGE_TYPES:
        summary = f"{mime_type} picture (the emulator cannot decode it), {_fingerprint(data)}"
        return ReceivedMedia(noun="image", summary=summary, tokens=IMAGE_TOKENS)
    found, width, height = _picture(data)
    label = "JPEG" if found == "MPO" else found
    sent_as = "" if PILLOW_MIME_TYPES.get(found) == mime_type else f" (sent as {mime_type})"
    summary = f"{label} {width}{TIMES}{height}{sent_as}, {_fingerprint(data)}"
    return ReceivedMedia(noun="image", summary=summary, tokens=IMAGE_TOKENS)


def _wav_sound(data: bytes) -> tuple[float, int, int]:
    try:
        with wave.open(io.BytesIO(data), "rb") as sound:
            rate, channels = sound.getframerate(), sound.getnchannels()
            announced = sound.getnframes()
            present = len(sound.readframes(announced)) // (sound.getsampwidth() * channels)
    except (wave.Error, EOFError, ZeroDivisionError) as error:
        raise _Unreadable(f"not a PCM WAV file: {error}") from None
    if present < announced:
        raise _Unreadable(
            f"cut short: the header announces {announced / rate:.2f} s, {present / rate:.2f} s "
            "arrived"
        )
    return present / rate, rate, channels


def _mp3_sound(data: bytes) -> tuple[float, int, int]:
    import av  # FFmpeg's bindings take a second or two to load: only for MP3 audio

    try:
        with av.open(io.BytesIO(data), format="mp3") as container:
            if not container.streams.audio:
                raise _Unreadable("no MP3 audio stream in it")
            stream = container.streams.audio[0]
            rate, channels = stream.codec_context.sample_rate, stream.codec_context.channels
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base), rate, channels
            seconds = sum(
                float(packet.duration * packet.time_base)
                for packet in container.demux(stream)
                if packet.duration and packet.time_base
            )
    except av.FFmpegError as error:
        raise _Unreadable(f"not MP3 audio: {error}") from None
    if seconds <= 0:
        raise _Unreadable("no MP3 frames in it")
    return seconds, rate, channels


def audio_part_read(input_audio: Any, where: str) -> ReceivedMedia:
    """An `input_audio` part: base64 `data` and a `format` of `wav` or `mp3`."""
    if not isinstance(input_audio, dict):
        raise invalid_value(f"{where}.input_audio", "TYPE_MESSAGE", input_audio)
    data_text, audio_format = input_audio.get("data"), input_audio.get("format")
    if not isinstance(data_text, str):
        raise invalid_value(f"{where}.input_audio.data", "TYPE_BYTES", type(data_text).__name__)
    if audio_format not in AUDIO_FORMATS:
        raise invalid_value(f"{where}.input_audio.format", "TYPE_ENUM", audio_format)
    data = _base64_bytes(data_text, f"{where}.input_audio.data")
    label = audio_format.upper()
    try:
        seconds, rate, channels = _wav_sound(data) if audio_format == "wav" else _mp3_sound(data)
    except _Unreadable as problem:
        summary = f"{label} that could not be read ({problem}), {_fingerprint(data)}"
        return ReceivedMedia(noun="audio clip", summary=summary, tokens=0)
    layout = "mono" if channels == 1 else f"{channels} channels"
    summary = f"{label} {seconds:.2f} s, {rate:,} Hz {layout}, {_fingerprint(data)}"
    tokens = max(1, round(seconds * AUDIO_TOKENS_PER_SECOND))
    return ReceivedMedia(noun="audio clip", summary=summary, tokens=tokens)
