"""How the one place that builds clients talks to each kind of endpoint."""

from __future__ import annotations

import asyncio
import time

import pytest

from playground.llm.client import client_for
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply
from tests.llm.fakes import answer_chunk, collect
from tests.llm.loopback import loopback_upstream

SPEC = RunSpec(provider="loopback", model="m", messages=(Message("user", "Hi"),))


async def short_stream(writer: asyncio.StreamWriter) -> None:
    body = f"data: {answer_chunk('Hi')}\n\ndata: [DONE]\n\n".encode()
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    await writer.drain()


@pytest.mark.parametrize(("is_emulator", "compressed"), [(True, False), (False, True)])
async def test_only_the_emulators_event_stream_is_asked_for_uncompressed(
    is_emulator: bool, compressed: bool
) -> None:
    async with loopback_upstream(short_stream, is_emulator=is_emulator) as (provider, seen):
        reply = await collect(stream_reply(SPEC, client=client_for(provider)))

    assert reply.answer == "Hi"
    (head,) = seen.heads
    assert (b"accept-encoding: gzip" in head.lower()) is compressed


async def test_one_connection_serves_reply_after_reply() -> None:
    async with loopback_upstream(short_stream) as (provider, seen):
        for _ in range(3):
            await collect(stream_reply(SPEC, client=client_for(provider)))

    assert len(seen.heads) == 3
    assert seen.connections == 1, "the body is read to its end, so the connection is reused"


@pytest.mark.parametrize(("pause", "connections"), [(90.0, 1), (150.0, 2)])
async def test_a_connection_waits_two_minutes_for_the_next_reply(
    monkeypatch: pytest.MonkeyPatch, pause: float, connections: int
) -> None:
    """A person's next message comes a minute later, not within httpx's 5 s: it reuses the
    connection (against Gemini: no DNS, TCP and TLS again) until UPSTREAM_KEEPALIVE_SECONDS."""
    from types import SimpleNamespace

    from httpcore2._async import http11

    clock = SimpleNamespace(offset=0.0)
    monkeypatch.setattr(
        http11, "time", SimpleNamespace(monotonic=lambda: time.monotonic() + clock.offset)
    )
    async with loopback_upstream(short_stream) as (provider, seen):
        await collect(stream_reply(SPEC, client=client_for(provider)))
        clock.offset = pause
        await collect(stream_reply(SPEC, client=client_for(provider)))

    assert seen.connections == connections


async def test_no_connection_is_kept_when_keepalive_is_off(settings) -> None:
    settings.UPSTREAM_KEEPALIVE_SECONDS = 0
    async with loopback_upstream(short_stream) as (provider, seen):
        for _ in range(2):
            await collect(stream_reply(SPEC, client=client_for(provider)))

    assert seen.connections == 2
