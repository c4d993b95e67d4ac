"""The `data` of each server-sent event in a streamed reply, read straight off the response.

The openai SDK builds a typed object for every chunk, which the normaliser then turned back
into a dict: most of the relay's CPU. The SDK still makes the request (auth, retries, error
mapping); its response body is read here, as the SDK's own decoder reads it (CR, LF and CRLF
line ends; `data` lines of one event joined by LF; comments and other fields ignored; an
event counts once its blank line arrives), and each event's data is parsed by the caller.

It also notes whether the closing `data: [DONE]` came: the body may simply stop, and a reply
cut short by a proxy or the endpoint would otherwise look complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

import httpx2

from playground.llm.errors import UpstreamError

LINE_END = re.compile(rb"\r\n|\r|\n")
DONE = b"[DONE]"
# After `[DONE]`, the rest of an HTTP/1.1 body is read (briefly) so the connection can be
# reused for the next request, as the SDK does.
DRAIN_SECONDS = 0.1
# One event larger than this is refused instead of held (Gemini's chunks are a few KB).
MAX_EVENT_BYTES = 16 * 1024 * 1024


class SseEvents:
    """Iterate `payloads()` once; `done` tells afterwards whether `[DONE]` closed the stream."""

    def __init__(self, response: httpx2.Response) -> None:
        self.response = response
        self.done = False
        self._partial: list[bytes] = []  # pieces of an unfinished line
        self._held = 0  # bytes of the unfinished line and event
        self._skip_lf = False  # the last part ended on CR: a LF starting the next is its pair
        self._data: list[bytes] = []

    async def payloads(self) -> AsyncIterator[bytes]:
        parts = self.response.aiter_bytes()  # decoded: gzip is undone here
        async for part in parts:
            for data in self._events(part):
                if data.startswith(DONE):
                    self.done = True
                    await self._drain(parts)
                    return
                yield data
        if self._partial:
            self._line(b"".join(self._partial))  # a last line without its line end
        if self._data and b"\n".join(self._data).startswith(DONE):
            self.done = True  # `[DONE]` without its blank line still ends the stream cleanly
        # Any other event without its blank line is incomplete: dropped, as the SDK does.

    def _events(self, part: bytes) -> list[bytes]:
        if self._skip_lf and part.startswith(b"\n"):
            part = part[1:]
        self._skip_lf = part.endswith(b"\r")
        lines = LINE_END.split(part) if b"\r" in part else part.split(b"\n")
        self._held += len(part)
        if self._held > MAX_EVENT_BYTES:
            raise UpstreamError(
                f"The endpoint sent an event larger than {MAX_EVENT_BYTES // 2**20} MB.",
                kind="malformed",
            )
        if len(lines) == 1:  # no line end yet: keep the piece, join once the line is whole
            self._partial.append(part)
            return []
        if self._partial:
            lines[0] = b"".join([*self._partial, lines[0]])
        rest = lines.pop()  # what follows the last line end (often nothing)
        self._partial = [rest] if rest else []
        events = []
        for line in lines:
            if line:
                self._line(line)
            elif self._data:
                events.append(self._data[0] if len(self._data) == 1 else b"\n".join(self._data))
                self._data = []
                self._held = len(rest)
        return events

    def _line(self, line: bytes) -> None:
        if line.startswith(b"data:"):
            value = line[5:]
            self._data.append(value[1:] if value.startswith(b" ") else value)
        # Comments (":") and the `event`, `id` and `retry` fields mean nothing to a chat reply.

    async def _drain(self, parts: AsyncIterator[bytes]) -> None:
        if self.response.http_version != "HTTP/1.1":
            return
        with contextlib.suppress(TimeoutError, httpx2.HTTPError):
            async with asyncio.timeout(DRAIN_SECONDS):
                async for _ in parts:
                    pass
