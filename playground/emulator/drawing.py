"""Pictures drawn from a prompt: the same prompt always gives the same picture, others differ.

A hash of the prompt picks the colours, the shapes and where they go; the prompt itself is
written across the bottom, so a person can tell at a glance which request made which picture.
Used for generated images and for the frames of generated videos.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

Colour = tuple[int, int, int]
MAX_CAPTION_LINES = 4


class Digest:
    """A stream of numbers in [0, 1) read from SHA-256 of the seed text, as many as needed."""

    def __init__(self, text: str) -> None:
        self._seed = text.encode("utf-8")
        self._pool = b""
        self._counter = 0

    def _byte_pair(self) -> int:
        if len(self._pool) < 2:
            self._pool += hashlib.sha256(self._seed + self._counter.to_bytes(4, "big")).digest()
            self._counter += 1
        value, self._pool = int.from_bytes(self._pool[:2], "big"), self._pool[2:]
        return value

    def unit(self) -> float:
        return self._byte_pair() / 65536

    def between(self, low: float, high: float) -> float:
        return low + (high - low) * self.unit()

    def choice(self, count: int) -> int:
        return self._byte_pair() % count


def colour(hue: float, saturation: float, value: float) -> Colour:
    red, green, blue = colorsys.hsv_to_rgb(hue % 1.0, saturation, value)
    return round(red * 255), round(green * 255), round(blue * 255)


@dataclass(frozen=True, slots=True)
class Palette:
    top: Colour
    bottom: Colour
    shapes: tuple[Colour, ...]
    accent: Colour


def palette_for(digest: Digest) -> Palette:
    hue = digest.unit()
    shapes = tuple(
        colour(hue + digest.between(0.15, 0.85), digest.between(0.45, 0.9), 0.95) for _ in range(5)
    )
    return Palette(
        top=colour(hue, digest.between(0.35, 0.7), digest.between(0.55, 0.8)),
        bottom=colour(hue + digest.between(0.05, 0.25), 0.8, digest.between(0.15, 0.35)),
        shapes=shapes,
        accent=colour(hue + 0.5, 0.9, 1.0),
    )


@lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, size))


def gradient(width: int, height: int, top: Colour, bottom: Colour) -> Image.Image:
    mask = Image.linear_gradient("L").resize((width, height))
    return Image.composite(
        Image.new("RGB", (width, height), bottom), Image.new("RGB", (width, height), top), mask
    )


def draw_shapes(canvas: Image.Image, digest: Digest, palette: Palette) -> None:
    """Six to nine translucent circles, boxes and triangles where the hash puts them."""
    width, height = canvas.size
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    for _ in range(6 + digest.choice(4)):
        kind = digest.choice(3)
        fill = (*palette.shapes[digest.choice(len(palette.shapes))], 170)
        size = digest.between(0.12, 0.42) * min(width, height)
        x, y = digest.unit() * width, digest.unit() * height * 0.8
        if kind == 0:
            pen.ellipse((x - size / 2, y - size / 2, x + size / 2, y + size / 2), fill=fill)
        elif kind == 1:
            pen.rounded_rectangle(
                (x - size / 2, y - size / 3, x + size / 2, y + size / 3), size / 8, fill=fill
            )
        else:
            pen.polygon(
                [(x, y - size / 2), (x + size / 2, y + size / 2), (x - size / 2, y + size / 2)],
                fill=fill,
            )
    canvas.paste(Image.alpha_composite(canvas.convert("RGBA"), layer).convert("RGB"))


def wrap(
    text: str, width: float, typeface: ImageFont.FreeTypeFont | ImageFont.ImageFont
) -> list[str]:
    """The text in lines no wider than `width`, at most four, the last cut with an ellipsis."""
    lines: list[str] = []
    current = ""
    for word in " ".join(text.split()).split(" "):
        candidate = f"{current} {word}".strip()
        if typeface.getlength(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > MAX_CAPTION_LINES:
        lines = lines[:MAX_CAPTION_LINES]
        lines[-1] = lines[-1].rstrip(".") + "…"
    return [
        line if typeface.getlength(line) <= width else line[: int(width // 8)] + "…"
        for line in lines
    ]


def draw_caption(canvas: Image.Image, prompt: str, note: str) -> None:
    """The prompt in a dark band across the bottom, a small note (model, settings) above it."""
    width, height = canvas.size
    size = max(10, min(width, height) // 18)
    small_size = max(9, size * 2 // 3)
    typeface, small = font(size), font(small_size)
    lines = wrap(prompt, width * 0.9, typeface) or ["(empty prompt)"]
    band = int(size * 1.3 * len(lines) + size * 1.2)
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    pen.rectangle((0, height - band, width, height), fill=(0, 0, 0, 150))
    for number, line in enumerate(lines):
        y = height - band + size * 0.6 + number * size * 1.3
        pen.text((width * 0.05, y), line, font=typeface, fill=(255, 255, 255, 255))
    for number, line in enumerate(wrap(note, width * 0.92, small)[:3]):
        y = height * 0.03 + number * small_size * 1.25
        pen.text((width * 0.04, y), line, font=small, fill=(255, 255, 255, 230))
    canvas.paste(Image.alpha_composite(canvas.convert("RGBA"), layer).convert("RGB"))


def picture(
    prompt: str, width: int, height: int, *, variant: str = "", note: str = ""
) -> Image.Image:
    """The picture for a prompt; `variant` (image number, seed) changes shapes, not the idea."""
    digest = Digest(prompt)
    palette = palette_for(digest)
    canvas = gradient(width, height, palette.top, palette.bottom)
    draw_shapes(canvas, Digest(f"{prompt}\x00{variant}"), palette)
    draw_caption(canvas, prompt, note)
    return canvas


def encoded(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "WEBP":
        image.save(buffer, "WEBP", quality=85, method=2)
    else:
        image.save(buffer, "PNG", compress_level=3)
    return buffer.getvalue()


def accent_for(prompt: str) -> Colour:
    return palette_for(Digest(prompt)).accent
