"""Test-only: a connection reset in the middle of a streamed reply (see faults.py).

ASGI gives an application no way to abort its connection (daphne even keeps it open when the
application fails mid-body), so the faulted request is redirected (307, which keeps the POST
and its body) to a one-shot listener on a loopback port. It reads the request, sends the first
events of the reply in chunked encoding, and closes with SO_LINGER 0: the reader gets a TCP
reset mid-reply, exactly as when a proxy or the upstream drops the connection.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from typing import Any

from django.http import HttpResponse

HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: text/event-stream\r\n"
    b"Cache-Control: no-cache\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n"
)
# A listener nobody reaches is closed after this long.
UNUSED_SECONDS = 30.0
REQUEST_LIMIT_BYTES = 25 * 1024 * 1024


async def _read_request(reader: asyncio.StreamReader) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = min(int(value.strip() or b"0"), REQUEST_LIMIT_BYTES)
    await reader.readexactly(length)


async def reset_redirect(events: list[bytes], entry: dict[str, Any]) -> HttpResponse:
    """A redirect to a listener that answers with `events` and then resets the connection."""
    server: asyncio.Server | None = None

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await _read_request(reader)
            writer.write(HEAD)
            for event in events:
                writer.write(b"%x\r\n%s\r\n" % (len(event), event))
            await writer.drain()
            await asyncio.sleep(0.05)  # the good bytes reach the reader before the reset
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        finally:
            writer.close()
            entry["closed_at"], entry["ended"] = time.time(), "reset"
            if server is not None:
                server.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    asyncio.get_running_loop().call_later(UNUSED_SECONDS, server.close)
    port = server.sockets[0].getsockname()[1]
    response = HttpResponse(status=307)
    response["Location"] = f"http://127.0.0.1:{port}/reset"
    return response
