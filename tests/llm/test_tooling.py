"""What the tools editor and the structured-output panel are told about what a person typed."""

from __future__ import annotations

import json

import pytest

from playground.llm.events import ToolCallEvent
from playground.llm.json_locations import Place, json_places
from playground.llm.normalise import StreamNormaliser
from playground.llm.runspec import RunSpec
from playground.llm.tooling import (
    Problem,
    check_structured_reply,
    pretty_arguments,
    schema_examples,
    schema_problems,
    schema_text_problems,
    tool_error_result,
    tool_examples,
    tool_round_messages,
    tool_schema_problems,
    tool_text_problems,
)
from tests.llm.recordings import sse_payloads

TOOL_TEXT = """{
  "type": "function",
  "function": {
    "name": "get_weather",
    "description": "Get the weather",
    "parameters": {
      "type": "object",
      "properties": {
        "city": {"type": "strin"},
        "unit": {"type": ["string", "null"], "const": "c"},
        "extra": {"type": "object", "additionalProperties": false}
      },
      "required": "city"
    }
  }
}"""


def located(problems: list[Problem]) -> list[tuple[str, str, int | None]]:
    return [(p.severity, p.pointer, p.line) for p in problems]


def test_it_points_each_problem_at_its_line() -> None:
    tool, problems = tool_text_problems(TOOL_TEXT)

    assert tool["function"]["name"] == "get_weather"
    assert located(problems) == [
        ("error", "/function/parameters/properties/city/type", 9),
        ("warning", "/function/parameters/properties/unit/type", 10),
        ("warning", "/function/parameters/properties/unit/const", 10),
        ("warning", "/function/parameters/properties/extra/additionalProperties", 11),
        ("error", "/function/parameters/required", 13),
    ]
    assert problems[0].message.startswith("Not valid JSON Schema: Unknown type 'strin'")
    assert 'use "enum" with one value' in problems[2].message


def test_text_that_is_not_json_is_one_problem_at_its_line() -> None:
    tool, problems = tool_text_problems('{\n  "name": "f",\n  "description": "x",\n}')

    assert tool is None
    assert problems == [
        Problem(
            "error", "Line 3, column 21: Illegal trailing comma before end of object.", "", 3, 21
        )
    ]


def test_the_top_level_additional_properties_is_fine_for_gemini() -> None:
    tool = {
        "name": "get_current_time",
        "description": "Get the current time.",
        "parameters": {"additionalProperties": False, "properties": {}, "type": "object"},
    }

    assert tool_schema_problems(tool) == []


@pytest.mark.parametrize(
    ("tool", "pointer", "message"),
    [
        ({"type": "retrieval", "function": {"name": "f"}}, "/type", "Only function tools"),
        ({"function": "f"}, "/function", "must be a JSON object"),
        ({"description": "no name"}, "", "needs a name"),
        ({"name": "get weather", "description": "x"}, "/name", "start with a letter"),
        ({"name": "f", "description": 3}, "/description", "must be text"),
        ({"name": "f", "description": "x", "parameters": []}, "/parameters", "JSON Schema object"),
        (
            {"name": "f", "description": "x", "parameters": {"type": "string"}},
            "/parameters",
            'must describe an object: "type": "object"',
        ),
    ],
)
def test_it_explains_a_tool_gemini_cannot_take(tool: dict, pointer: str, message: str) -> None:
    errors = [p for p in tool_schema_problems(tool) if p.is_error]

    assert [(p.pointer, message in p.message) for p in errors] == [(pointer, True)]


def test_a_function_without_a_description_gets_a_warning_only() -> None:
    problems = tool_schema_problems({"name": "ping"})

    assert [(p.severity, p.pointer) for p in problems] == [("warning", "")]


def test_every_ready_example_is_free_of_problems() -> None:
    for example in tool_examples():
        assert tool_schema_problems(example.value) == [], example.key
        assert tool_text_problems(example.pretty)[1] == [], example.key
    for example in schema_examples():
        assert schema_problems(example.value) == [], example.key
        RunSpec(
            provider="g",
            model="m",
            messages=(),
            response_format={  # type: ignore[arg-type]
                "type": "json_schema",
                "json_schema": {"name": example.name, "schema": example.value},
            },
        )


def test_the_seed_examples_are_there() -> None:
    weather = next(e for e in tool_examples() if e.key == "weather")
    event = next(e for e in schema_examples() if e.key == "calendar_event")

    assert weather.value["function"]["parameters"]["required"] == ["location"]
    assert event.value["required"] == ["name", "date", "participants"]
    assert event.prompt == "John and Susan are going to an AI conference on Friday."
    assert event.value is not event.value  # fresh copies: an editor may change them


def test_a_response_schema_is_checked_against_the_metaschema() -> None:
    schema, problems = schema_text_problems('{"type": "object",\n "minProperties": -1}')

    assert schema == {"type": "object", "minProperties": -1}
    assert located(problems) == [("error", "/minProperties", 2)]


def test_a_valid_structured_reply_is_valid() -> None:
    schema = schema_examples()[0].value
    reply = '{"name": "AI conference", "date": "Friday", "participants": ["John", "Susan"]}'

    assert check_structured_reply(reply, schema) == (True, [])


def test_an_invalid_structured_reply_points_at_each_wrong_part() -> None:
    schema = schema_examples()[0].value

    valid, errors = check_structured_reply('{"name": 1, "participants": ["x", 2], "y": 0}', schema)

    assert not valid
    assert errors == [
        ("", "'date' is a required property"),
        ("", "Additional properties are not allowed ('y' was unexpected)"),
        ("/name", "1 is not of type 'string'"),
        ("/participants/1", "2 is not of type 'string'"),
    ]


def test_a_reply_that_is_not_json_says_where_it_broke() -> None:
    assert check_structured_reply('{"name": "x"', {"type": "object"}) == (
        False,
        [("", "Not JSON: Line 1, column 13: Expecting ',' delimiter.")],
    )


def test_formats_are_checked() -> None:
    schema = {"type": "object", "properties": {"mail": {"type": "string", "format": "email"}}}

    assert check_structured_reply('{"mail": "nobody"}', schema)[1] == [
        ("/mail", "'nobody' is not a 'email'")
    ]


def test_an_invalid_schema_is_reported_as_such() -> None:
    valid, errors = check_structured_reply("{}", {"type": "strin"})

    assert not valid and errors[0][1].startswith("The schema itself is not valid JSON Schema")


def test_places_are_found_for_members_and_items() -> None:
    places = json_places('{\n  "a": [\n    1,\n    {"b~c/d": true}\n  ]\n}')

    assert places[""] == Place(1, 1)
    assert places["/a"] == Place(2, 3)
    assert places["/a/1"] == Place(4, 5)
    assert places["/a/1/b~0c~1d"] == Place(4, 6)


def test_pretty_arguments_indent_json_and_keep_other_text() -> None:
    assert pretty_arguments('{"city":"Oslo"}') == '{\n  "city": "Oslo"\n}'
    assert pretty_arguments("not json") == "not json"


def test_a_parallel_round_goes_back_with_each_result_on_its_call() -> None:
    name = "stream_parallel_toolcalls_gemini-2.5-flash-lite_agui-llm-rs.sse"
    normaliser = StreamNormaliser()
    events = [event for data in sse_payloads(name) for event in normaliser.feed(data)]
    calls = [event for event in events if isinstance(event, ToolCallEvent)]
    results = {calls[0].call_id: "Sunny", calls[1].call_id: tool_error_result("no station")}

    assistant, *answers = tool_round_messages(calls=calls, results=results)

    recorded = sse_payloads(name)[0]["choices"][0]["delta"]["tool_calls"]
    assert assistant.to_wire() == {"role": "assistant", "tool_calls": recorded}
    assert [answer.to_wire() for answer in answers] == [
        {"role": "tool", "content": "Sunny", "tool_call_id": recorded[0]["id"]},
        {"role": "tool", "content": '{"error": "no station"}', "tool_call_id": recorded[1]["id"]},
    ]


def test_the_replys_own_signature_goes_back_on_the_assistant_turn() -> None:
    call = ToolCallEvent(0, 0, "c1", "f", "{}")
    signed = {"google": {"thought": True, "thought_signature": "AVSo"}}

    assistant, _ = tool_round_messages(calls=[call], results={"c1": "ok"}, extra_content=signed)

    assert assistant.to_wire()["extra_content"] == signed


def test_every_call_needs_a_result() -> None:
    calls = [ToolCallEvent(0, 0, "c1", "f", "{}"), ToolCallEvent(0, 1, "c2", "g", "{}")]

    with pytest.raises(ValueError, match="No result for: g"):
        tool_round_messages(calls=calls, results={"c1": "ok"})


def test_an_error_result_is_a_json_object_with_the_message() -> None:
    assert json.loads(tool_error_result("Timed out")) == {"error": "Timed out"}
