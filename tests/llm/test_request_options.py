"""Tools, tool_choice and response_format in a RunSpec: sent exactly, stored, read back."""

from __future__ import annotations

import json

import pytest

from playground.llm.request_options import FunctionChoice, FunctionTool, ResponseFormat
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply
from tests.llm.fakes import RecordingClient, json_response
from tests.llm.recordings import cassette_interactions, json_of

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the weather in a given location",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "The city and state"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["location"],
        },
    },
}
EVENT_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "date": {"type": "string"},
        "participants": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name", "date", "participants"],
    "additionalProperties": False,
}
EVENT_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "CalendarEvent", "schema": EVENT_SCHEMA, "strict": True},
}
ASK = (Message("user", "What's the weather like in Chicago today?"),)
WITH_TOOLS = RunSpec(
    provider="gemini",
    model="gemini-3-flash-preview",
    messages=ASK,
    tools=(WEATHER,),  # type: ignore[arg-type]
    tool_choice={"type": "function", "function": {"name": "get_weather"}},  # type: ignore[arg-type]
    response_format=EVENT_FORMAT,  # type: ignore[arg-type]
)


def test_tools_tool_choice_and_response_format_are_sent_as_given() -> None:
    body = WITH_TOOLS.request_body()

    assert body["tools"] == [WEATHER]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert body["response_format"] == EVENT_FORMAT
    assert list(body["tools"][0]["function"]["parameters"]["properties"]) == ["location", "unit"]


def test_nothing_is_sent_when_nothing_is_set() -> None:
    body = RunSpec(provider="gemini", model="m", messages=ASK).request_body()

    assert not {"tools", "tool_choice", "response_format"} & set(body)


def test_a_tool_loop_request_matches_the_recorded_one() -> None:
    recorded = cassette_interactions("chat_nonstream_toolcall_pydantic-ai_2025-06.yaml")[1]
    sent = recorded["request"]["parsed_body"]
    spec = RunSpec.from_dict(
        {
            "provider": "gemini",
            "model": sent["model"],
            "messages": sent["messages"],
            "stream": False,
            "tools": sent["tools"],
            "tool_choice": sent["tool_choice"],
        }
    )

    # The SDK leaves out `stream` when it is false; pydantic-ai spelled it out.
    assert spec.request_body() == {key: value for key, value in sent.items() if key != "stream"}


async def test_a_reply_puts_the_same_body_on_the_wire() -> None:
    upstream = RecordingClient(
        lambda: json_response(json_of("chat_nonstream_text_gemini-2.5-flash_intellyrouter.json"))
    )
    spec = RunSpec(
        provider="gemini",
        model="gemini-2.5-flash",
        messages=ASK,
        stream=False,
        tools=(WEATHER,),  # type: ignore[arg-type]
        tool_choice="required",
        response_format={"type": "json_object"},  # type: ignore[arg-type]
    )

    _ = [event async for event in stream_reply(spec, client=upstream.client)]

    assert upstream.sent == [spec.request_body()]


def test_it_round_trips_through_json() -> None:
    stored = json.loads(json.dumps(WITH_TOOLS.to_dict()))

    assert RunSpec.from_dict(stored) == WITH_TOOLS
    assert stored["tools"] == [WEATHER]


def test_specs_stored_before_tools_existed_still_load() -> None:
    old = RunSpec(provider="gemini", model="m", messages=ASK).to_dict()
    for key in ("tools", "tool_choice", "response_format"):
        del old[key]

    spec = RunSpec.from_dict(old)

    assert (spec.tools, spec.tool_choice, spec.response_format) == ((), None, None)


def test_tools_differing_only_in_layout_are_equal() -> None:
    spaced = FunctionTool("f", parameters_json='{ "type": "object",\n  "properties": {} }')
    compact = FunctionTool.from_wire(
        {"name": "f", "parameters": {"type": "object", "properties": {}}}
    )

    assert spaced == compact
    assert spaced.parameters_json == '{"type":"object","properties":{}}'


def test_a_bare_function_object_is_read_as_a_tool() -> None:
    tool = FunctionTool.from_wire(WEATHER["function"])

    assert tool.to_wire() == WEATHER


def test_text_response_format_means_none() -> None:
    spec = RunSpec(provider="g", model="m", messages=ASK, response_format={"type": "text"})  # type: ignore[arg-type]

    assert spec.response_format is None


def test_json_object_and_named_choice_read_back() -> None:
    spec = RunSpec(
        provider="g",
        model="m",
        messages=ASK,
        tool_choice=FunctionChoice("get_weather"),
        response_format=ResponseFormat("json_object"),
    )

    body = spec.request_body()
    assert body["response_format"] == {"type": "json_object"}
    assert RunSpec.from_dict(spec.to_dict()) == spec


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tools", ({"type": "retrieval"},), "Only function tools"),
        ("tools", ({"type": "function", "function": {"name": ""}},), "needs a name"),
        ("tools", ({"function": {"name": "f", "parameters": [1]}},), "must be a JSON object"),
        ("tool_choice", "sometimes", "tool_choice must be auto, none, required"),
        ("tool_choice", {"type": "function"}, "tool_choice cannot be read"),
        ("response_format", {"type": "xml"}, "json_object or json_schema"),
        ("response_format", {"type": "json_schema", "json_schema": {}}, "needs a schema"),
        (
            "response_format",
            {"type": "json_schema", "json_schema": {"name": "a b", "schema": {"type": "object"}}},
            "letters, digits, underscores or dashes",
        ),
    ],
)
def test_unreadable_options_are_refused_with_a_reason(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        RunSpec(provider="g", model="m", messages=ASK, **{field: value})  # type: ignore[arg-type]
