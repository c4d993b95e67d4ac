"""Images decoded with Pillow and re-encoded: what is stored is a clean PNG or JPEG.

Nothing is taken from the name or the browser's content type. The file is opened only by the
decoders listed below, its pixel count is checked from the header before any pixel is decoded,
and what comes out is upright, 8-bit, RGB(A) or grey, at most MAX_SIDE pixels a side, with no
metadata (EXIF with its location, ICC, comments) left in it.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from playground.limits.decoding import DecoderBusy, image_decode_slot
from playground.media.limits import UploadRefused, size_label

# MPO (multi-picture JPEG from phones) comes through the JPEG decoder.
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")
# Below Pillow's own 89-megapixel warning: a 40 MP photo is already more than any model reads.
# Pillow's limit is a process-wide global, so this check is made here rather than by lowering it.
MAX_PIXELS = 40_000_000
MAX_SIDE = 3072
THUMBNAIL_SIDE = 320
JPEG_QUALITY = 90
# A lossless PNG past this size (a photo saved as PNG) is stored as JPEG instead.
PNG_SIZE_BEFORE_JPEG = 4 * 1024 * 1024
LOSSY_SOURCES = frozenset({"JPEG", "MPO", "WEBP"})
SIXTEEN_BIT_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N"})
TIMES = "\u00d7"  # the multiplication sign, as in "640 by 480"
DIRECT_MODES = {"1": "L", "YCbCr": "RGB", "LAB": "RGB", "HSV": "RGB", "RGBX": "RGB"}


@dataclass(frozen=True, slots=True)
class CheckedImage:
    data: bytes
    mime_type: str
    width: int
    height: int
    thumbnail: bytes
    notes: tuple[str, ...]


def _open(stream: BinaryIO) -> Image.Image:
    """Reads the header only; refuses non-images and decompression bombs at this point."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(stream, formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels() from None
        except UnidentifiedImageError:
            raise UploadRefused(
                "This is not an image we can read (PNG, JPEG, WebP, GIF, BMP or TIFF), nor "
                "WAV or MP3 audio."
            ) from None
        except Exception:  # Pillow's parsers raise many kinds of errors on damaged headers
            raise UploadRefused("This image is damaged: its header cannot be read.") from None
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise _too_many_pixels(image.width, image.height)
    return image


def _too_many_pixels(width: int = 0, height: int = 0) -> UploadRefused:
    size = f" ({width:,}{TIMES}{height:,})" if width else ""
    return UploadRefused(
        f"This image has too many pixels{size}: at most {MAX_PIXELS // 1_000_000} megapixels "
        "are accepted. Scale it down first."
    )


def _single_frame(image: Image.Image, notes: list[str]) -> None:
    frames = getattr(image, "n_frames", 1)
    if frames <= 1:
        return
    if image.format == "MPO":
        # Phones store depth or preview pictures after the main one; the first is the photo.
        notes.append("kept the main picture of a multi-picture JPEG")
        return
    raise UploadRefused(
        f"This image has {frames} frames (animated or multi-page). Send a single still "
        "picture, as PNG or JPEG."
    )


def _decode(image: Image.Image) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.load()
        except Exception:  # truncated files, bad compressed data, broken chunks
            raise UploadRefused(
                "This image is damaged or cut short: it cannot be decoded completely."
            ) from None


def _upright(image: Image.Image, notes: list[str]) -> Image.Image:
    """A copy turned as the camera's EXIF orientation says (which then no longer applies)."""
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        upright = ImageOps.exif_transpose(image)
    except Exception:  # a damaged EXIF block must not cost the picture itself
        notes.append("EXIF data unreadable: orientation left as stored")
        return image.copy()
    if orientation != 1:
        notes.append(f"turned upright (EXIF orientation {orientation})")
    return upright


def _eight_bit_colour(image: Image.Image, notes: list[str]) -> Image.Image:
    """RGB, RGBA or L: what PNG and JPEG both hold and every model reads."""
    mode = image.mode
    if mode in {"RGB", "RGBA", "L"}:
        return image
    if mode in {"P", "PA"}:
        has_alpha = mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if has_alpha else "RGB")
    if mode in {"LA", "La", "RGBa"}:
        return image.convert("RGBA")
    if mode == "CMYK":
        notes.append("converted from CMYK to RGB")
        return image.convert("RGB")
    if mode in SIXTEEN_BIT_MODES:
        notes.append("reduced from 16-bit to 8-bit grey")
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if mode in DIRECT_MODES:
        return image.convert(DIRECT_MODES[mode])
    raise UploadRefused(
        f"This image's colour format ({mode}) is not supported. Save it as an ordinary 8-bit "
        "PNG or JPEG."
    )


def _drop_opaque_alpha(image: Image.Image) -> Image.Image:
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        return image.convert("RGB")
    return image


def _encode(image: Image.Image, source_format: str, notes: list[str]) -> tuple[bytes, str]:
    """PNG when there is transparency or the source was lossless, else JPEG; no metadata."""
    image.info = {}
    buffer = io.BytesIO()
    if image.mode == "RGBA" or source_format not in LOSSY_SOURCES:
        image.save(buffer, "PNG", optimize=False)
        if image.mode == "RGBA" or buffer.tell() <= PNG_SIZE_BEFORE_JPEG:
            return buffer.getvalue(), "image/png"
        notes.append(f"saved as JPEG: as PNG it took {size_label(buffer.tell())}")
        buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue(), "image/jpeg"


def _thumbnail(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, "WEBP", quality=80)
    return buffer.getvalue()


def image_check(stream: BinaryIO, *, max_bytes: int) -> CheckedImage:
    """The image as it will be stored and sent, or UploadRefused saying what is wrong.

    The header is read first; the decode and everything after it hold one of the process's
    decode slots, so parallel uploads cannot each take hundreds of megabytes at once.
    """
    stream.seek(0)
    with _open(stream) as image:
        try:
            with image_decode_slot():
                return _checked(image, max_bytes=max_bytes)
        except DecoderBusy as busy:
            raise UploadRefused(str(busy)) from None


def _checked(image: Image.Image, *, max_bytes: int) -> CheckedImage:
    notes: list[str] = []
    source_format = image.format or ""
    _single_frame(image, notes)
    _decode(image)
    upright = _upright(image, notes)
    clean = _drop_opaque_alpha(_eight_bit_colour(upright, notes))
    if max(clean.size) > MAX_SIDE:
        notes.append(f"scaled down from {clean.width}{TIMES}{clean.height}")
        clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    data, mime_type = _encode(clean, source_format, notes)
    if len(data) > max_bytes:
        raise UploadRefused(
            f"Even re-encoded, this image takes {size_label(len(data))}; images may be at most "
            f"{size_label(max_bytes)}."
        )
    return CheckedImage(
        data=data,
        mime_type=mime_type,
        width=clean.width,
        height=clean.height,
        thumbnail=_thumbnail(clean),
        notes=tuple(notes),
    )


HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"})


def looks_like_heif(head: bytes) -> bool:
    """HEIC/AVIF, what phones save by default; Pillow cannot read them without a plugin."""
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS
