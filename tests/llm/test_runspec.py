from __future__ import annotations

import json
from collections.abc import Callable

import httpx2
import pytest
from openai.resources.chat.completions import AsyncCompletions

from playground.llm.runspec import Message, RunSpec, ToolCall
from playground.llm.streaming import stream_reply
from tests.llm.fakes import RecordingClient, json_response, sse_response
from tests.llm.recordings import cassette_interactions, json_of

SAFETY = {"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_NONE"}
SIGNED = {"google": {"thought_signature": "Eo123"}}
HISTORY = (
    Message("system", "Be brief."),
    Message("user", "What is the weather in Seoul?"),
    Message(
        "assistant",
        "",
        tool_calls=(ToolCall("function-call-1", "get_weather", '{"city":"Seoul"}', SIGNED),),
    ),
    Message("tool", "Sunny", tool_call_id="function-call-1", name="get_weather"),
    Message("assistant", "It is sunny.", extra_content={"google": {"thought_signature": "Zz9"}}),
    Message("user", "And tomorrow?"),
)
BARE = RunSpec(provider="gemini", model="gemini-2.5-flash", messages=(Message("user", "Hi"),))
FULL = RunSpec(
    provider="gemini",
    model="gemini-3-flash-preview",
    messages=HISTORY,
    temperature=0.2,
    top_p=0.9,
    max_tokens=512,
    stop=("END", "STOP"),
    seed=7,
    n=2,
    thinking_level="low",
    include_thoughts=True,
    service_tier="flex",
    cached_content="cachedContents/0000aaaa1111",
    extra_body_json=json.dumps({"google": {"safety_settings": [SAFETY]}}),
)
SPECS = {
    "bare stream": BARE,
    "bare whole reply": RunSpec(
        provider="gemini", model="gemini-2.5-flash", messages=BARE.messages, stream=False
    ),
    "stream without usage": RunSpec(
        provider="gemini", model="m", messages=BARE.messages, include_usage=False
    ),
    "reasoning effort": RunSpec(
        provider="gemini", model="gemini-2.5-flash", messages=BARE.messages, reasoning_effort="none"
    ),
    "thinking budget": RunSpec(
        provider="gemini",
        model="gemini-2.5-pro",
        messages=BARE.messages,
        thinking_budget=-1,
        include_thoughts=True,
    ),
    "everything": FULL,
}
ONE_CHUNK_STREAM = (
    b'data: {"choices":[{"delta":{"content":"ok"},"finish_reason":"stop","index":0}]}\n\n'
    b"data: [DONE]\n\n"
)


def test_a_bare_stream_sends_only_what_was_set() -> None:
    assert BARE.request_body() == {
        "model": "gemini-2.5-flash",
        "messages": [{"role": "user", "content": "Hi"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }


def test_a_whole_reply_sends_no_stream_fields() -> None:
    body = SPECS["bare whole reply"].request_body()

    assert "stream" not in body and "stream_options" not in body


def test_gemini_options_ride_in_the_literal_nested_extra_body() -> None:
    body = FULL.request_body()

    assert "google" not in body  # a top-level "google" is a 400 (see the recorded error)
    assert body["extra_body"] == {
        "google": {
            "thinking_config": {"thinking_level": "low", "include_thoughts": True},
            "cached_content": "cachedContents/0000aaaa1111",
            "safety_settings": [SAFETY],
        }
    }
    assert "reasoning_effort" not in body
    assert (body["temperature"], body["top_p"], body["max_tokens"], body["seed"], body["n"]) == (
        0.2,
        0.9,
        512,
        7,
        2,
    )
    assert (body["stop"], body["service_tier"]) == (["END", "STOP"], "flex")


def test_reasoning_effort_is_a_top_level_parameter() -> None:
    body = SPECS["reasoning effort"].request_body()

    assert body["reasoning_effort"] == "none"
    assert "extra_body" not in body


def test_the_spec_fields_win_over_the_free_form_extra_body() -> None:
    spec = RunSpec(
        provider="gemini",
        model="gemini-2.5-flash",
        messages=BARE.messages,
        thinking_budget=1024,
        extra_body_json={
            "google": {"thinking_config": {"thinking_budget": 0, "include_thoughts": True}}
        },
    )

    assert spec.request_body()["extra_body"] == {
        "google": {"thinking_config": {"thinking_budget": 1024, "include_thoughts": True}}
    }


def test_the_free_form_extra_body_is_stored_as_canonical_json() -> None:
    given = RunSpec(
        provider="g", model="m", messages=(), extra_body_json='{ "b": 1,\n "a": {"d": 2, "c": 3} }'
    )
    empty = RunSpec(provider="g", model="m", messages=(), extra_body_json="  {}  ")

    assert given.extra_body_json == '{"a":{"c":3,"d":2},"b":1}'
    assert empty.extra_body_json == ""


def test_the_free_form_extra_body_must_be_an_object() -> None:
    with pytest.raises(ValueError, match="JSON object"):
        RunSpec(provider="g", model="m", messages=(), extra_body_json="[1, 2]")


def test_signatures_go_back_exactly_as_received() -> None:
    messages = FULL.request_body()["messages"]

    assert messages[2] == {
        "role": "assistant",
        "tool_calls": [
            {
                "id": "function-call-1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city":"Seoul"}'},
                "extra_content": SIGNED,
            }
        ],
    }
    assert messages[3] == {
        "role": "tool",
        "content": "Sunny",
        "name": "get_weather",
        "tool_call_id": "function-call-1",
    }
    assert messages[4]["extra_content"] == {"google": {"thought_signature": "Zz9"}}


def test_a_tool_loop_turn_matches_the_recorded_request() -> None:
    recorded = cassette_interactions("chat_nonstream_toolcall_pydantic-ai_2025-06.yaml")[1]
    recorded_messages = recorded["request"]["parsed_body"]["messages"]
    call_id = recorded_messages[1]["tool_calls"][0]["id"]
    spec = BARE.with_messages(
        [
            Message("user", "What is the current time?"),
            Message("assistant", "", tool_calls=(ToolCall(call_id, "get_current_time", "{}"),)),
            Message("tool", "Noon", tool_call_id=call_id),
        ]
    )

    assert spec.request_body()["messages"] == recorded_messages


@pytest.mark.parametrize("name", list(SPECS))
async def test_a_reply_puts_exactly_the_request_body_on_the_wire(name: str) -> None:
    spec = SPECS[name]
    upstream = RecordingClient(_answer_for(spec))

    _ = [event async for event in stream_reply(spec, client=upstream.client)]

    assert upstream.sent == [spec.request_body()]
    assert upstream.requests[0].url.path == "/v1beta/openai/chat/completions"


@pytest.mark.parametrize("name", list(SPECS))
async def test_the_sdks_create_would_send_the_same_body(name: str) -> None:
    """Why a reply may skip `chat.completions.create`: given the same request (Gemini's own
    `extra_body` key nested once more, since the SDK merges its `extra_body` argument into the
    top level), it sends these very bytes, after walking the messages through its typed
    parameters."""
    spec = SPECS[name]
    upstream = RecordingClient(_answer_for(spec))
    kwargs = spec.request_body()
    if extra := kwargs.pop("extra_body", None):
        kwargs["extra_body"] = {"extra_body": extra}

    response = await upstream.client.chat.completions.create(**kwargs)
    if spec.stream:
        async with response as stream:
            _ = [chunk async for chunk in stream]

    assert upstream.sent == [spec.request_body()]


@pytest.mark.parametrize("name", ["bare stream", "bare whole reply", "everything"])
async def test_a_reply_does_not_go_through_the_sdks_typed_create(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`create` walks every message of the history on the event loop before sending (14 ms
    with 50 messages): a reply posts the body it built instead."""

    async def create(*args: object, **kwargs: object) -> None:
        raise AssertionError("chat.completions.create was called")

    monkeypatch.setattr(AsyncCompletions, "create", create)
    spec = SPECS[name]
    upstream = RecordingClient(_answer_for(spec))

    events = [event async for event in stream_reply(spec, client=upstream.client)]

    assert events
    assert len(upstream.sent) == 1


def _answer_for(spec: RunSpec) -> Callable[[], httpx2.Response]:
    if spec.stream:
        return lambda: sse_response(ONE_CHUNK_STREAM)
    return lambda: json_response(json_of("chat_nonstream_text_gemini-2.5-flash_intellyrouter.json"))


def test_it_round_trips_through_json() -> None:
    stored = json.loads(json.dumps(FULL.to_dict()))

    assert RunSpec.from_dict(stored) == FULL
    assert RunSpec.from_dict(json.loads(json.dumps(BARE.to_dict()))) == BARE


def test_it_reads_stored_specs_written_by_newer_code() -> None:
    stored = {**BARE.to_dict(), "tools_json": "[]"}

    assert RunSpec.from_dict(stored) == BARE


def test_with_messages_keeps_every_setting() -> None:
    follow_up = FULL.with_messages([Message("user", "Again")])

    assert follow_up.messages == (Message("user", "Again"),)
    assert follow_up.request_body()["extra_body"] == FULL.request_body()["extra_body"]
    assert follow_up.temperature == FULL.temperature


def test_lists_given_for_tuples_are_frozen() -> None:
    spec = RunSpec(provider="g", model="m", messages=[Message("user", "Hi")], stop=["x"])  # type: ignore[arg-type]

    assert spec.messages == (Message("user", "Hi"),)
    assert spec.stop == ("x",)
