"""Every recorded Gemini payload, through the normaliser and through the real SDK."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from playground.llm.events import UsageEvent
from playground.llm.normalise import StreamNormaliser, normalise_message
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply
from tests.llm.fakes import RecordingClient, Reply, collect, json_response, sse_response
from tests.llm.recordings import (
    cassette_interactions,
    json_of,
    recording_names,
    sse_payloads,
    sse_wire_body,
)

CASSETTE = "chat_nonstream_toolcall_pydantic-ai_2025-06.yaml"
SIGNATURE_1 = (
    "AVSoXO4AzAXs7GGvOY63fp8CwJK3yR8HbUPhxhfN2HaPvJnscmZCkaWvckz5NL3nIMK+si/baQcsM2Q8ME9V1RQrb3w1"
    "IKceWfjO3kHPL11odY/p6Us4GkkvJqKU/OgUnbAMbuvNdX1pyXWZUrQ7WyXZ5F4mjbxBSCLiVOTdFlK53zn+ajq5JIuG"
    "9AYHgwE/sJxUUpvNd6RcWvZR3fQb8gufjCspiO2ZdInRcdGsz/+XftFHxFbXkdtCRAw74AtjlN5osb+KgDYojdohKIEi"
    "t9DcTBe7hI7oEHWMfnqYSgGrrad4FJpNB3jXmSFevE2iYYKUBzWvxJNj8fIYrCC0g4rJ1aJvuoU="
)
SIGNATURE_2 = (
    "AVSoXO4/lu90Bn7IxVcWAjD6KH3ZHMmsCX1tnPJERDI6SZb63hrSEtmJT/v+sn2SzlecMoXBVmtcrd3keFszUgDpLjFm"
    "1gB+uMzLS1IqPdEAh+m5S71k1hfStNMFen63UnphYHWt4UrjVHXckysRLVJjCuMmE01hQXcVh9b3YXvfWfZEFA=="
)


@dataclass(frozen=True)
class Expected:
    """What a person sees of a reply: texts, calls, signatures, token counts, endings."""

    answer: str = ""
    thought: str = ""
    calls: list[tuple[int, str, str, Any]] = field(default_factory=list)
    call_ids: list[str] | None = None  # None: made up, because the recording has none
    signatures: list[dict] = field(default_factory=list)
    usage: UsageEvent | None = None
    usage_reports: int = 0
    finishes: dict[int, str] = field(default_factory=dict)

    def check(self, reply: Reply) -> None:
        assert reply.answer == self.answer
        assert reply.thought == self.thought
        assert reply.calls() == self.calls
        if self.call_ids is not None:
            assert [call.call_id for call in reply.tool_calls] == self.call_ids
        else:
            assert all(call.call_id for call in reply.tool_calls)
        assert [event.extra_content for event in reply.signatures] == self.signatures
        assert reply.usage == self.usage
        assert len(reply.usages) == self.usage_reports
        assert reply.finishes == self.finishes
        assert set(reply.answers) <= {0} and set(reply.thoughts) <= {0}


STREAMS = {
    "stream_text_gemini-2.5-flash-lite_agui-llm-rs.sse": Expected(
        answer="One, two, three.", finishes={0: "stop"}
    ),
    "stream_text_gemini-2.0-flash_magentic_2025-03.sse": Expected(
        answer="Hello there! How can I help you today?\n",
        usage=UsageEvent(3, 11, 14, 0),
        usage_reports=3,
        finishes={0: "stop"},
    ),
    "stream_toolcall_gemini-2.5-flash_intellyrouter.sse": Expected(
        calls=[(0, "Read", '{"file_path":"/tmp/a.go"}', None)],
        call_ids=["function-call-11628457821388745023"],
        usage=UsageEvent(108, 19, 194, 67),
        usage_reports=1,
        finishes={0: "tool_calls"},
    ),
    "stream_parallel_toolcalls_gemini-2.5-flash-lite_agui-llm-rs.sse": Expected(
        calls=[
            (0, "get_weather", '{"city":"Seoul"}', None),
            (1, "get_weather", '{"city":"Oslo"}', None),
        ],
        call_ids=["function-call-7026415214984972976", "function-call-7026415214984972901"],
        finishes={0: "tool_calls"},
    ),
    "stream_toolcall_signature_gemini-3-pro-preview_codecompanion-stub_sigedited.sse": Expected(
        calls=[
            (0, "file_search", '{"query":"README.md"}', {"google": {"thought_signature": "Eo123"}})
        ],
        call_ids=["function-call-13802169321809035407"],
        usage=UsageEvent(5171, 18, 5239, 50),
        usage_reports=1,
    ),
    "stream_thoughts_codecompanion-stub_EDITED-dummy.sse": Expected(
        thought="This is a dummy reasoning segment",
        answer="Elegant, dynamic.\n\nNext question?\n",
        usage=UsageEvent(419, 9, 428, 0),
        usage_reports=3,
        finishes={0: "stop"},
    ),
}

WHOLE_REPLIES = {
    "chat_nonstream_text_gemini-2.5-flash_intellyrouter.json": Expected(
        answer="hello there", usage=UsageEvent(7, 2, 47, 38), usage_reports=1, finishes={0: "stop"}
    ),
    "chat_nonstream_thoughts_codecompanion-stub_EDITED-dummy.json": Expected(
        thought="This is a dummy thinking summary",
        # The stub's text holds literal backslash-n pairs, not newlines.
        answer="Elegant, dynamic.\\n\\nNext question?\\n",
        usage=UsageEvent(419, 9, 428, 0),
        usage_reports=1,
        finishes={0: "stop"},
    ),
    f"{CASSETTE}#0": Expected(
        calls=[(0, "get_current_time", "{}", None)],
        signatures=[{"google": {"thought": True, "thought_signature": SIGNATURE_1}}],
        usage=UsageEvent(35, 12, 109, 62),
        usage_reports=1,
        finishes={0: "tool_calls"},
    ),
    f"{CASSETTE}#1": Expected(
        answer="The current time is Noon.",
        signatures=[{"google": {"thought": True, "thought_signature": SIGNATURE_2}}],
        usage=UsageEvent(66, 6, 100, 28),
        usage_reports=1,
        finishes={0: "stop"},
    ),
}


def whole_reply(name: str) -> dict[str, Any]:
    if "#" in name:
        cassette, number = name.split("#")
        return cassette_interactions(cassette)[int(number)]["response"]["parsed_body"]
    return json_of(name)


def spec_for(*, stream: bool) -> RunSpec:
    return RunSpec(
        provider="gemini",
        model="gemini-2.5-flash",
        messages=(Message("user", "Hi"),),
        stream=stream,
    )


def test_every_recorded_stream_has_an_expectation() -> None:
    assert sorted(STREAMS) == recording_names("*.sse")
    assert {name.split("#")[0] for name in WHOLE_REPLIES} == {
        *recording_names("chat_nonstream_*.json"),
        *recording_names("chat_nonstream_*.yaml"),
    }


@pytest.mark.parametrize("name", list(STREAMS))
def test_the_normaliser_reads_each_recorded_stream(name: str) -> None:
    normaliser = StreamNormaliser()
    events = [event for data in sse_payloads(name) for event in normaliser.feed(data)]

    STREAMS[name].check(Reply(events + normaliser.flush()))


@pytest.mark.parametrize("name", list(STREAMS))
async def test_each_recorded_stream_replays_through_the_sdk(name: str) -> None:
    upstream = RecordingClient(lambda: sse_response(sse_wire_body(name)))

    reply = await collect(stream_reply(spec_for(stream=True), client=upstream.client))

    STREAMS[name].check(reply)
    assert upstream.sent == [spec_for(stream=True).request_body()]


@pytest.mark.parametrize("name", list(WHOLE_REPLIES))
def test_the_normaliser_reads_each_recorded_whole_reply(name: str) -> None:
    WHOLE_REPLIES[name].check(Reply(normalise_message(whole_reply(name))))


@pytest.mark.parametrize("name", list(WHOLE_REPLIES))
async def test_each_recorded_whole_reply_replays_through_the_sdk(name: str) -> None:
    upstream = RecordingClient(lambda: json_response(whole_reply(name)))

    reply = await collect(stream_reply(spec_for(stream=False), client=upstream.client))

    WHOLE_REPLIES[name].check(reply)
    assert "stream" not in upstream.sent[0]


async def test_a_signed_call_goes_back_exactly_as_it_came() -> None:
    name = "stream_toolcall_signature_gemini-3-pro-preview_codecompanion-stub_sigedited.sse"
    upstream = RecordingClient(lambda: sse_response(sse_wire_body(name)))
    reply = await collect(stream_reply(spec_for(stream=True), client=upstream.client))
    recorded_call = sse_payloads(name)[0]["choices"][0]["delta"]["tool_calls"][0]

    next_turn = spec_for(stream=True).with_messages(
        [
            Message("user", "Find the readme"),
            Message("assistant", "", tool_calls=tuple(c.as_tool_call() for c in reply.tool_calls)),
        ]
    )

    sent_call = next_turn.request_body()["messages"][1]["tool_calls"][0]
    assert sent_call == recorded_call
