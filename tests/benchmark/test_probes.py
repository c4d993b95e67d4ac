"""The benchmark's clients time what they claim to: the first answer text, read cheaply."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable

import pytest
from websockets.asyncio.server import ServerConnection, serve

from playground.benchmark.probes import DirectProbe, PlaygroundProbe
from playground.benchmark.rawsse import SseConnection

ACKNOWLEDGEMENT = (
    '<div id="transcript" hx-swap-oob="beforeend"><div id="t7-c0-answer"></div></div>'
    '<input id="conversation-id" value="12">'
)
FIRST_TEXT = '<span id="t7-c0-answer" hx-swap-oob="beforeend">Hello</span>'
FINAL = '<div id="turn-7" hx-swap-oob="outerHTML">Hello there</div>'
TEXT_DELAY = 0.2


async def scripted_page(socket: ServerConnection) -> None:
    """A chat socket that acknowledges at once and sends the first text a moment later."""
    async for _message in socket:
        await socket.send(ACKNOWLEDGEMENT)
        await asyncio.sleep(TEXT_DELAY)
        await socket.send(FIRST_TEXT)
        await socket.send(FINAL)


async def test_the_playground_probe_times_the_first_answer_text_not_the_acknowledgement():
    async with serve(scripted_page, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        probe = PlaygroundProbe(f"http://127.0.0.1:{port}", "sessionid=x")
        try:
            timing = await probe.run("Hi")
        finally:
            await probe.close()

    assert timing.ttft >= TEXT_DELAY * 0.9
    assert timing.frames == 1
    assert probe.last_conversation == "12"


def chunked(*pieces: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def sse(*payloads: object) -> bytes:
    return b"".join(b"data: " + json.dumps(p).encode() + b"\n\n" for p in payloads)


def text_chunk(text: str, *, thought: bool = False) -> dict:
    delta: dict = {"content": text}
    if thought:
        delta["extra_content"] = {"google": {"thought": True}}
    return {"choices": [{"index": 0, "delta": delta}]}


async def http_server(
    answer: Callable[[int], bytes],
) -> tuple[asyncio.Server, list[int]]:
    """Answers each request on a connection with `answer(n)`; counts connections."""
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(len(connections))
        with contextlib.suppress(asyncio.IncompleteReadError):
            await serve_requests(reader, writer)

    async def serve_requests(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        served = 0
        while head := await reader.readuntil(b"\r\n\r\n"):
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n" + answer(served)
            )
            served += 1
            await writer.drain()

    return await asyncio.start_server(handle, "127.0.0.1", 0), connections


async def test_the_raw_client_reads_events_split_anywhere_and_keeps_its_connection():
    body = sse(text_chunk("<thought>plan", thought=True), text_chunk("Hel"), text_chunk("lo"))
    body += b"data: [DONE]\n\n"
    # Chunk boundaries fall inside events, as a server's writes may.
    server, connections = await http_server(lambda n: chunked(body[:7], body[7:60], body[60:]))
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1/"
    probe = DirectProbe(url)
    try:
        first = await probe.run("Hi")
        second = await probe.run("Hi again")
    finally:
        await probe.close()
        server.close()

    assert (first.frames, first.text_bytes) == (2, len("Hello"))
    assert second.frames == 2
    assert connections == [0], "both requests went over one connection"


async def stream_texts(events: AsyncIterator[dict]) -> list[object]:
    return [event["choices"][0]["delta"]["content"] async for event in events]


async def test_the_raw_client_refuses_an_error_status():
    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()

    server = await asyncio.start_server(refuse, "127.0.0.1", 0)
    connection = SseConnection(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1/")
    try:
        with pytest.raises(ConnectionError, match="429"):
            await stream_texts(connection.chat_stream(model="m", prompt="Hi"))
    finally:
        await connection.close()
        server.close()
