"""Reading server-sent events off the raw response, as the SDK's own decoder would."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest

from playground.llm import sse_events
from playground.llm.errors import UpstreamError
from playground.llm.sse_events import SseEvents


class Parts(httpx2.AsyncByteStream):
    def __init__(self, parts: list[bytes]) -> None:
        self.parts = parts

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            yield part


async def read(*parts: bytes) -> tuple[list[bytes], bool]:
    events = SseEvents(httpx2.Response(200, stream=Parts(list(parts))))
    return [data async for data in events.payloads()], events.done


def every_split(body: bytes) -> list[list[bytes]]:
    return [[body[:at], body[at:]] for at in range(1, len(body))]


BODY = b'data: {"a": 1}\n\n: keep-alive\n\nevent: x\ndata: {"b":\ndata: 2}\n\ndata: [DONE]\n\n'


@pytest.mark.parametrize("line_end", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
async def test_it_reads_events_with_any_line_end_split_anywhere(line_end: bytes) -> None:
    body = BODY.replace(b"\n", line_end)
    for parts in [[body], *every_split(body)]:
        assert await read(*parts) == ([b'{"a": 1}', b'{"b":\n2}'], True), parts


async def test_a_body_that_just_stops_is_not_done_and_drops_its_unfinished_event() -> None:
    assert await read(b'data: {"a": 1}\n\ndata: {"b": 2}') == ([b'{"a": 1}'], False)


async def test_done_without_its_blank_line_still_ends_the_stream() -> None:
    assert await read(b'data: {"a": 1}\n\ndata: [DONE]') == ([b'{"a": 1}'], True)


async def test_nothing_after_done_is_read_as_an_event() -> None:
    assert await read(b"data: [DONE]\n\n", b'data: {"late": 1}\n\n') == ([], True)


async def test_one_byte_at_a_time_gives_the_same_events() -> None:
    parts = [BODY[at : at + 1] for at in range(len(BODY))]
    assert await read(*parts) == ([b'{"a": 1}', b'{"b":\n2}'], True)


async def test_an_endless_event_is_refused_instead_of_held(monkeypatch) -> None:
    monkeypatch.setattr(sse_events, "MAX_EVENT_BYTES", 1000)

    with pytest.raises(UpstreamError) as raised:
        await read(b"data: ", *[b"x" * 100] * 20)

    assert raised.value.kind == "malformed"


async def test_many_events_within_the_limit_are_fine(monkeypatch) -> None:
    monkeypatch.setattr(sse_events, "MAX_EVENT_BYTES", 1000)
    event = b'data: {"text": "' + b"x" * 80 + b'"}\n\n'

    events, done = await read(*[event] * 50)

    assert len(events) == 50 and not done
