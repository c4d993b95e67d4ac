"""The emulator's videos: real H.264 in MP4, drawn frame by frame from the prompt with Pillow.

The still picture of the prompt (see `drawing`) is the backdrop; a light sweeps across it, a
clock and a bar show the time, and the request's first and last frames appear as insets at the
start and the end. Small on purpose (640 px wide at 720p) so it encodes in well under a second.
"""

from __future__ import annotations

import io
import math
import os
import tempfile

import av
from PIL import Image, ImageDraw

from playground.emulator.drawing import accent_for, font, picture


def _inset(data: bytes | None, canvas: Image.Image) -> Image.Image | None:
    if not data:
        return None
    image = Image.open(io.BytesIO(data)).convert("RGB")
    side = max(32, min(canvas.size) // 3)
    image.thumbnail((side, side))
    return image


def _frame(
    backdrop: Image.Image,
    number: int,
    total: int,
    frame_rate: int,
    accent: tuple[int, int, int],
    insets: tuple[Image.Image | None, Image.Image | None],
) -> Image.Image:
    frame = backdrop.copy()
    width, height = frame.size
    pen = ImageDraw.Draw(frame)
    share = number / max(1, total - 1)
    radius = min(width, height) / 9
    x = width * (0.1 + 0.8 * share)
    y = height * (0.35 + 0.12 * math.sin(share * math.tau * 1.5))
    pen.ellipse(
        (x - radius, y - radius, x + radius, y + radius),
        fill=accent,
        outline=(255, 255, 255),
        width=3,
    )
    pen.rectangle((0, height - 6, width * share, height), fill=accent)
    # The time rides inside the moving light, where it never covers the caption or the note.
    clock = font(max(9, int(radius * 0.55)))
    pen.text((x, y), f"{number / frame_rate:0.1f} s", font=clock, fill=(20, 20, 20), anchor="mm")
    first, last = insets
    inset = first if share < 0.5 else last
    if inset is not None:
        frame.paste(inset, (int(width * 0.04), int(height * 0.14)))
    return frame


def render_mp4(
    *,
    prompt: str,
    note: str,
    width: int,
    height: int,
    seconds: int,
    frame_rate: int,
    variant: str,
    first_frame: bytes | None = None,
    last_frame: bytes | None = None,
) -> bytes:
    """An MP4 (H.264, yuv420p, moov atom first so browsers can start playing at once)."""
    backdrop = picture(prompt, width, height, variant=variant, note=note)
    accent = accent_for(prompt)
    insets = (_inset(first_frame, backdrop), _inset(last_frame, backdrop))
    descriptor, path = tempfile.mkstemp(suffix=".mp4")
    os.close(descriptor)
    try:
        # faststart rewrites the file when it closes, so it needs a real file, not a buffer.
        with av.open(path, "w", format="mp4", options={"movflags": "faststart"}) as container:
            stream = container.add_stream("libx264", rate=frame_rate)
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            stream.options = {"preset": "veryfast", "crf": "28"}
            total = seconds * frame_rate
            for number in range(total):
                image = _frame(backdrop, number, total, frame_rate, accent, insets)
                for packet in stream.encode(av.VideoFrame.from_image(image)):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)
