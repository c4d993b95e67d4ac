"""An upstream that stalls costs one UPSTREAM_TIMEOUT_SECONDS, not one per retry (issue 18)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest

from playground.llm.client import client_for
from playground.llm.errors import UpstreamError
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply
from tests.llm.fakes import collect
from tests.llm.loopback import loopback_upstream

TIMEOUT = 1.0
Answer = Callable[[asyncio.StreamWriter], Awaitable[None]]


async def never(writer: asyncio.StreamWriter) -> None:
    await asyncio.Event().wait()


async def headers_then_silence(writer: asyncio.StreamWriter) -> None:
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    await writer.drain()
    await asyncio.Event().wait()


async def overloaded(writer: asyncio.StreamWriter) -> None:
    writer.write(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Type: application/json"
        b"\r\nContent-Length: 2\r\n\r\n{}"
    )
    await writer.drain()


@pytest.fixture
def short_timeouts(settings):
    settings.UPSTREAM_TIMEOUT_SECONDS = TIMEOUT
    settings.UPSTREAM_MAX_RETRIES = 2


def spec(*, stream: bool) -> RunSpec:
    return RunSpec(provider="loopback", model="m", messages=(Message("user", "Hi"),), stream=stream)


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
async def test_a_stall_before_the_reply_ends_after_one_timeout_without_retries(
    short_timeouts, stream: bool
) -> None:
    async with loopback_upstream(never) as (provider, seen):
        with pytest.raises(UpstreamError) as raised:
            await collect(stream_reply(spec(stream=stream), client=client_for(provider)))
        waited = time.monotonic() - seen.times[0]  # the client's own set-up is not the stall

    assert raised.value.kind == "timeout"
    assert len(seen.times) == 1, "a timeout is not retried"
    # Retried, it took three timeouts and the backoff between them.
    assert TIMEOUT * 0.9 <= waited < TIMEOUT * 2


async def test_a_stall_in_the_middle_of_a_stream_ends_after_one_timeout(short_timeouts) -> None:
    async with loopback_upstream(headers_then_silence) as (provider, seen):
        with pytest.raises(UpstreamError) as raised:
            await collect(stream_reply(spec(stream=True), client=client_for(provider)))
        waited = time.monotonic() - seen.times[0]

    assert raised.value.kind == "timeout"
    assert len(seen.times) == 1
    assert waited < TIMEOUT * 2


async def test_an_overloaded_endpoint_is_still_retried(short_timeouts) -> None:
    async with loopback_upstream(overloaded) as (provider, seen):
        with pytest.raises(UpstreamError) as raised:
            await collect(stream_reply(spec(stream=True), client=client_for(provider)))

    assert raised.value.status_code == 503
    assert len(seen.times) == 3, "one request and two retries"
