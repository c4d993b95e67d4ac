"""Opening pictures that anyone may send to the emulator, without letting one of them take the
server: the pixel count is read from the header (Pillow opens lazily) and refused past
MAX_PIXELS before a pixel is decoded; the decode itself holds one of the process's decode slots
(playground.limits.decoding). Call from a thread, never from the event loop: a decode of a
large picture takes whole seconds of CPU.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable

from PIL import Image

from playground.emulator.errors import GeminiError
from playground.limits.decoding import DecoderBusy, image_decode_slot

# A 50-megapixel picture already decodes to ~200 MB; no model reads more detail than that.
MAX_PIXELS = 50_000_000
MEGAPIXELS = MAX_PIXELS // 1_000_000
OVERLOADED = "The model is overloaded. Please try again later."
TIMES = "\u00d7"


def pixels_label(width: int, height: int) -> str:
    return f"{width:,}{TIMES}{height:,} pixels" if width else f"more than {MEGAPIXELS} megapixels"


def picture_read[Read](
    data: bytes,
    *,
    formats: tuple[str, ...],
    use: Callable[[Image.Image], Read],
    unreadable: Callable[[], GeminiError],
    too_large: Callable[[int, int], GeminiError],
) -> Read:
    """`use(picture)` on the opened picture, within a decode slot.

    `too_large(width, height)` is raised past MAX_PIXELS (0, 0 when Pillow refused the header
    itself as a decompression bomb), `unreadable()` for bytes that are no picture or break
    while `use` decodes them, and a 503 when no decode slot frees up in time.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(io.BytesIO(data), formats=formats)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise too_large(0, 0) from None
        except Exception:  # Pillow raises many kinds of errors on bytes that are no picture
            raise unreadable() from None
        with picture:
            if picture.width * picture.height > MAX_PIXELS:
                raise too_large(picture.width, picture.height)
            try:
                with image_decode_slot():
                    return use(picture)
            except DecoderBusy:
                raise GeminiError(503, OVERLOADED) from None
            except GeminiError:
                raise
            except Exception:  # truncated data, broken chunks, a bomb found while decoding
                raise unreadable() from None
