"""How many pictures this process decodes at once.

A decoded picture takes 3-4 bytes a pixel: eight 40-megapixel uploads at once took 3 GB. Every
decode of outside bytes (uploads, pictures sent to the emulator) holds one of
LIMIT_CONCURRENT_IMAGE_DECODES slots; the next one waits for a free slot, and after
DECODE_WAIT_SECONDS it is refused instead of queueing without end. Decodes run in threads
(never on the event loop), so a threading semaphore is the right lock; 0 switches it off.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

DECODE_WAIT_SECONDS = 20.0

_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


class DecoderBusy(Exception):
    """Every decode slot stayed taken for DECODE_WAIT_SECONDS."""


def _slots_for(count: int) -> threading.BoundedSemaphore:
    # One semaphore per configured size, so a changed setting (tests) takes effect at once.
    with _slots_lock:
        if count not in _slots:
            _slots[count] = threading.BoundedSemaphore(count)
        return _slots[count]


@contextmanager
def image_decode_slot() -> Iterator[None]:
    """Hold one decode slot for the block; DecoderBusy when none frees up in time."""
    count = settings.LIMIT_CONCURRENT_IMAGE_DECODES
    if not count:
        yield
        return
    slots = _slots_for(count)
    if not slots.acquire(timeout=DECODE_WAIT_SECONDS):
        raise DecoderBusy(
            f"The server is decoding {count} other picture{'s' if count != 1 else ''} right "
            "now. Try again in a moment."
        )
    try:
        yield
    finally:
        slots.release()
