from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import aclosing

import httpx2
import pytest

from playground.llm import streaming
from playground.llm.errors import UpstreamError
from playground.llm.events import AnswerDelta
from playground.llm.providers import Provider
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply
from tests.llm.fakes import (
    RecordingClient,
    SlowStream,
    answer_chunk,
    collect,
    sse_response,
)

SPEC = RunSpec(provider="gemini", model="gemini-2.5-flash", messages=(Message("user", "Hi"),))
CLOSE_WITHIN = 1.0


def slow_upstream(stream: SlowStream) -> RecordingClient:
    return RecordingClient(
        lambda: httpx2.Response(200, headers={"content-type": "text/event-stream"}, stream=stream)
    )


async def test_cancelling_the_consumer_closes_the_upstream_response() -> None:
    body = SlowStream([answer_chunk("tick ")], forever=True)
    upstream = slow_upstream(body)
    first_text = asyncio.Event()

    async def consume() -> None:
        async for event in stream_reply(SPEC, client=upstream.client):
            if isinstance(event, AnswerDelta):
                first_text.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first_text.wait(), CLOSE_WITHIN)
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.wait_for(body.closed.wait(), CLOSE_WITHIN)
    sent_before = body.sent
    await asyncio.sleep(body.pause * 3)
    assert body.sent == sent_before  # nothing more is read from the upstream


async def test_closing_the_generator_closes_the_upstream_response() -> None:
    body = SlowStream([answer_chunk("tick ")], forever=True)
    replies = stream_reply(SPEC, client=slow_upstream(body).client)

    first = await anext(replies)
    await replies.aclose()

    assert first == AnswerDelta("tick ", 0)
    await asyncio.wait_for(body.closed.wait(), CLOSE_WITHIN)


async def test_leaving_an_aclosing_block_early_closes_the_upstream_response() -> None:
    body = SlowStream([answer_chunk("a"), answer_chunk("b"), answer_chunk("c")])

    async with aclosing(stream_reply(SPEC, client=slow_upstream(body).client)) as replies:
        async for _event in replies:
            break

    await asyncio.wait_for(body.closed.wait(), CLOSE_WITHIN)
    assert body.sent < 3


async def test_a_finished_stream_is_closed_too() -> None:
    body = SlowStream([answer_chunk("a"), answer_chunk("b")], pause=0)

    reply = await collect(stream_reply(SPEC, client=slow_upstream(body).client))

    assert reply.answer == "ab"
    assert body.closed.is_set()


class BrokenStream(httpx2.AsyncByteStream):
    """Sends one chunk, then fails the way a stalled or dropped connection does."""

    def __init__(self, failure: type[httpx2.TransportError]) -> None:
        self.failure = failure

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield f"data: {answer_chunk('partial')}\n\n".encode()
        raise self.failure("stalled")


@pytest.mark.parametrize(
    ("failure", "kind"),
    [(httpx2.ReadTimeout, "timeout"), (httpx2.RemoteProtocolError, "connection")],
)
async def test_a_failure_mid_stream_keeps_what_arrived(
    failure: type[httpx2.TransportError], kind: str
) -> None:
    upstream = RecordingClient(
        lambda: httpx2.Response(
            200, headers={"content-type": "text/event-stream"}, stream=BrokenStream(failure)
        )
    )
    seen = []

    with pytest.raises(UpstreamError) as raised:
        async for event in stream_reply(SPEC, client=upstream.client):
            seen.append(event)

    assert seen == [AnswerDelta("partial", 0)]
    assert raised.value.kind == kind


def raw_stream(*data: str) -> RecordingClient:
    body = "".join(f"data: {item}\n\n" for item in data).encode()
    return RecordingClient(lambda: sse_response(body))


async def test_an_error_list_inside_a_stream_raises_with_geminis_message() -> None:
    error = [
        {"error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}}
    ]
    upstream = raw_stream(answer_chunk("par"), json.dumps(error))

    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(SPEC, client=upstream.client))

    assert raised.value.message == "The model is overloaded."
    assert (raised.value.status_code, raised.value.gemini_status) == (503, "UNAVAILABLE")
    assert raised.value.is_retryable


async def test_an_error_object_inside_a_stream_raises_with_its_message() -> None:
    upstream = raw_stream(json.dumps({"error": {"code": 500, "message": "Internal error."}}))

    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(SPEC, client=upstream.client))

    assert raised.value.message == "Internal error."
    assert raised.value.status_code == 500


@pytest.mark.parametrize(
    "data",
    [
        ["{not json"],
        ['"just a string"'],
        ["[DONE]"],
        ['{"choices": "none"}'],
    ],
    ids=["not json", "not an object", "nothing before done", "bad choices"],
)
async def test_unreadable_streams_are_malformed_replies(data: list[str]) -> None:
    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(SPEC, client=raw_stream(*data).client))

    assert raised.value.kind == "malformed"


async def test_it_talks_to_the_provider_the_spec_names(monkeypatch, settings) -> None:
    settings.GEMINI_API_KEY = "secret"
    settings.EMULATOR_ENABLED = True
    settings.EXTRA_PROVIDERS = []
    upstream = raw_stream(answer_chunk("hi"), "[DONE]")
    asked: list[Provider] = []
    monkeypatch.setattr(streaming, "client_for", lambda p: asked.append(p) or upstream.client)

    await collect(stream_reply(RunSpec(provider="emulator", model="m", messages=SPEC.messages)))
    await collect(stream_reply(RunSpec(provider="gone", model="m", messages=SPEC.messages)))

    assert [p.name for p in asked] == ["emulator", "gemini"]


async def test_a_non_standard_finish_reason_comes_through_the_wire_intact() -> None:
    finish = {
        "choices": [
            {
                "index": 0,
                "delta": {"content": None, "role": "assistant"},
                "finish_reason": "function_call_filter: MALFORMED_FUNCTION_CALL",
            }
        ]
    }
    upstream = raw_stream(answer_chunk("Let me call"), json.dumps(finish))  # no [DONE]

    reply = await collect(stream_reply(SPEC, client=upstream.client))

    assert reply.answer == "Let me call"
    assert reply.finishes == {0: "function_call_filter: MALFORMED_FUNCTION_CALL"}


async def test_the_stream_is_read_without_building_the_sdks_chunk_objects(monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a typed chunk object was built")

    upstream = raw_stream(answer_chunk("Hel"), answer_chunk("lo"), "[DONE]")
    monkeypatch.setattr(type(upstream.client), "_process_response_data", refuse)

    reply = await collect(stream_reply(SPEC, client=upstream.client))

    assert reply.answer == "Hello"


async def test_a_stream_cut_short_without_done_or_finish_is_an_error() -> None:
    upstream = raw_stream(answer_chunk("Hel"), answer_chunk("lo"))

    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(SPEC, client=upstream.client))

    assert raised.value.kind == "malformed"
