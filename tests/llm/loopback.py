"""A real HTTP endpoint on loopback for tests that need real sockets (timeouts, headers)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from playground.llm.providers import Provider

Answer = Callable[[asyncio.StreamWriter], Awaitable[None]]


@dataclass
class Seen:
    """What the endpoint received: each request's head and when it arrived."""

    connections: int = 0
    heads: list[bytes] = field(default_factory=list)
    times: list[float] = field(default_factory=list)


@contextlib.asynccontextmanager
async def loopback_upstream(
    answer: Answer, *, is_emulator: bool = False
) -> AsyncIterator[tuple[Provider, Seen]]:
    """Serves every request with `answer`; yields a provider pointing at it."""
    seen = Seen()
    handlers: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        seen.connections += 1
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                seen.heads.append(head)
                seen.times.append(time.monotonic())
                length = head.lower().partition(b"content-length: ")[2].partition(b"\r\n")[0]
                await reader.readexactly(int(length or 0))
                await answer(writer)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield Provider("loopback", "Loopback", f"http://127.0.0.1:{port}/v1/", is_emulator), seen
    finally:
        server.close()
        for handler in handlers:
            handler.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
