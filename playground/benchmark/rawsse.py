"""A deliberately cheap streaming chat client: raw HTTP/1.1 on one kept-alive socket, the SSE
`data:` lines split by hand and each event read with `json.loads`.

The benchmark's direct side and its floor relay both use it, so the figure for "no playground"
is not inflated by a client library's per-chunk cost (building typed objects per chunk costs
more than relaying the chunk does).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

HEADER_LIMIT = 64 * 1024


class UpstreamClosed(ConnectionError):
    pass


class SseConnection:
    """One connection to an OpenAI-compatible endpoint; requests run one after another."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.path = parts.path.rstrip("/") + "/chat/completions"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def chat_stream(self, *, model: str, prompt: str) -> AsyncIterator[dict[str, Any]]:
        """Each streamed chunk as a dict; leaving early closes the connection (not reusable)."""
        body = json.dumps(
            {"model": model, "messages": [{"role": "user", "content": prompt}], "stream": True}
        ).encode()
        request = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Authorization: Bearer benchmark\r\nContent-Type: application/json\r\n"
            f"Accept: text/event-stream\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        head = await self._send(request)
        finished = False
        try:
            assert self.reader is not None
            async for data in self._events(head, self.reader):
                if data != b"[DONE]":
                    yield json.loads(data)
            finished = True
        finally:
            if not finished:
                await self.close()

    async def _send(self, request: bytes) -> bytes:
        """Sends `request`; the response head. A kept-alive connection the server has closed
        meanwhile is opened again once, as any HTTP client does."""
        reused = self.writer is not None
        await self.connect()
        assert self.reader is not None and self.writer is not None
        try:
            self.writer.write(request)
            return await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            if not reused:
                raise
        return await self._send(request)

    async def _events(self, head: bytes, reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
        if len(head) > HEADER_LIMIT or not head.startswith(b"HTTP/1.1 200"):
            raise UpstreamClosed(head[:200].decode(errors="replace"))
        headers = head.lower()
        buffer = b""
        async for piece in self._body(reader, headers):
            buffer += piece
            *events, buffer = buffer.split(b"\n\n")
            for event in events:
                for line in event.split(b"\n"):
                    if line.startswith(b"data:"):
                        yield line[5:].strip()
        if b"connection: close" in headers:
            await self.close()

    async def _body(self, reader: asyncio.StreamReader, headers: bytes) -> AsyncIterator[bytes]:
        if b"transfer-encoding: chunked" in headers:
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                yield (await reader.readexactly(size + 2))[:-2]
            await reader.readuntil(b"\r\n")  # the empty trailer
            return
        for line in headers.split(b"\r\n"):
            if line.startswith(b"content-length:"):
                yield await reader.readexactly(int(line[15:]))
                return
        while piece := await reader.read(65536):
            yield piece
        await self.close()


def answer_text(chunk: dict[str, Any]) -> str:
    """The answer text a chunk carries (thoughts, flagged by Gemini, are not answer text)."""
    text = ""
    for choice in chunk.get("choices") or ():
        delta = choice.get("delta") or {}
        google = (delta.get("extra_content") or {}).get("google") or {}
        if delta.get("content") and not google.get("thought"):
            text += delta["content"]
    return text
