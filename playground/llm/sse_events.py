"""Whether a streamed reply carried its closing `data: [DONE]` line.

The openai SDK stops at `[DONE]`, but it ends just as quietly when the body simply stops, so
a reply cut short by a proxy or the endpoint would look complete. The watch reads the decoded
bytes on their way to the SDK's event parser (which reads them through
`response.aiter_bytes()`, after any gzip), before the SDK starts iterating.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx2

# `[DONE]` at the start of a line: inside a JSON event a line break is always escaped.
DONE_LINE = re.compile(rb"[\r\n]data: ?\[DONE\]")
TAIL_BYTES = 16


class DoneWatch:
    def __init__(self, response: httpx2.Response) -> None:
        self.seen = False
        self._tail = b"\n"
        original = response.aiter_bytes

        async def watched(*args: Any, **kwargs: Any) -> AsyncIterator[bytes]:
            async for part in original(*args, **kwargs):
                self._look(part)
                yield part

        response.aiter_bytes = watched  # type: ignore[method-assign]

    def _look(self, part: bytes) -> None:
        if self.seen:
            return
        window = self._tail + part
        self.seen = DONE_LINE.search(window) is not None
        self._tail = window[-TAIL_BYTES:]
