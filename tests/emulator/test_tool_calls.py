"""Function calling: which functions the emulator calls, with what, and in which wire shape."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.emulator.conftest import error_of, post_raw
from tests.emulator.tool_requests import (
    CALCULATOR,
    CHICAGO,
    GEMINI_3,
    GEMINI_25,
    TIME,
    TWO_CITIES,
    WEATHER,
    calls_of,
    chat,
    message_of,
    results_for,
    streamed,
    streamed_calls,
)


@pytest.mark.parametrize("model", [GEMINI_25, GEMINI_3])
def test_it_calls_the_seed_weather_tool_with_the_city_from_the_prompt(
    base_url: str, model: str
) -> None:
    reply = chat(base_url, model=model, messages=CHICAGO, tools=[WEATHER], tool_choice="auto")

    assert calls_of(reply) == [("get_weather", {"location": "Chicago"})]
    assert reply["choices"][0]["finish_reason"] == "tool_calls"
    assert "content" not in message_of(reply)


def test_it_makes_one_call_per_city_the_prompt_names(base_url: str) -> None:
    reply = chat(base_url, model=GEMINI_25, messages=TWO_CITIES, tools=[WEATHER])

    assert calls_of(reply) == [
        ("get_weather", {"location": "Seoul"}),
        ("get_weather", {"location": "Oslo"}),
    ]


def test_it_fills_an_optional_enum_only_when_the_prompt_names_a_value(base_url: str) -> None:
    asked = [{"role": "user", "content": "How warm is it in Paris, in fahrenheit?"}]

    reply = chat(base_url, model=GEMINI_25, messages=asked, tools=[WEATHER])

    assert calls_of(reply) == [("get_weather", {"location": "Paris", "unit": "fahrenheit"})]


def test_it_takes_an_expression_from_the_prompt(base_url: str) -> None:
    asked = [{"role": "user", "content": "What is 12 * (3 + 4)?"}]

    reply = chat(base_url, model=GEMINI_3, messages=asked, tools=[WEATHER, CALCULATOR])

    assert calls_of(reply) == [("calculate", {"expression": "12 * (3 + 4)"})]


def test_it_gives_each_function_the_city_asked_about_with_it(base_url: str) -> None:
    asked = [{"role": "user", "content": "What's the weather in Paris and the time in Tokyo?"}]

    reply = chat(base_url, model=GEMINI_25, messages=asked, tools=[WEATHER, TIME])

    assert calls_of(reply) == [
        ("get_weather", {"location": "Paris"}),
        ("get_current_time", {"city": "Tokyo"}),
    ]


def test_arguments_are_valid_against_the_parameters_schema(base_url: str) -> None:
    booking = {
        "type": "function",
        "function": {
            "name": "book_table",
            "description": "Book a restaurant table",
            "parameters": {
                "type": "object",
                "properties": {
                    "restaurant": {"type": "string", "minLength": 2},
                    "guests": {"type": "integer", "minimum": 1, "maximum": 12},
                    "day": {"type": "string", "format": "date"},
                    "seating": {"type": "string", "enum": ["inside", "terrace"]},
                    "notes": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                },
                "required": ["restaurant", "guests", "day", "seating", "notes"],
            },
        },
    }
    asked = [{"role": "user", "content": "Book a table at Noma for 40 people on 2026-05-01."}]

    reply = chat(base_url, model=GEMINI_25, messages=asked, tools=[booking])

    [(name, arguments)] = calls_of(reply)
    assert name == "book_table"
    jsonschema.validate(arguments, booking["function"]["parameters"])
    assert (arguments["restaurant"], arguments["guests"], arguments["day"]) == (
        "Noma",
        12,
        "2026-05-01",
    )


def test_a_function_without_parameters_is_called_with_an_empty_object(base_url: str) -> None:
    clock = {"type": "function", "function": {"name": "get_current_time"}}
    asked = [{"role": "user", "content": "What is the current time?"}]

    reply = chat(base_url, model=GEMINI_3, messages=asked, tools=[clock])

    assert calls_of(reply) == [("get_current_time", {})]


def test_it_answers_in_text_when_tool_choice_is_none(base_url: str) -> None:
    reply = chat(base_url, model=GEMINI_25, messages=CHICAGO, tools=[WEATHER], tool_choice="none")

    message = message_of(reply)
    assert "tool_calls" not in message
    assert "`get_weather` (tool_choice is none, so none was called)" in message["content"]
    assert reply["choices"][0]["finish_reason"] == "stop"


def test_a_named_tool_choice_calls_that_function_even_if_another_fits_better(
    base_url: str,
) -> None:
    named = {"type": "function", "function": {"name": "get_current_time"}}

    reply = chat(
        base_url, model=GEMINI_25, messages=CHICAGO, tools=[WEATHER, TIME], tool_choice=named
    )

    assert calls_of(reply) == [("get_current_time", {"city": "Chicago"})]


@pytest.mark.parametrize("model", [GEMINI_25, GEMINI_3])
def test_after_the_results_it_answers_with_them(base_url: str, model: str) -> None:
    first = chat(base_url, model=model, messages=TWO_CITIES, tools=[WEATHER])
    calls = message_of(first)["tool_calls"]
    history = [
        *TWO_CITIES,
        {"role": "assistant", "tool_calls": calls},
        *results_for(calls, "Sunny, 24 °C", '{"error": "station offline"}'),
    ]

    reply = chat(base_url, model=model, messages=history, tools=[WEATHER])

    content = message_of(reply)["content"]
    assert "tool_calls" not in message_of(reply)
    assert '`get_weather` with `{"location":"Seoul"}` returned “Sunny, 24 °C”' in content
    assert '`get_weather` with `{"location":"Oslo"}` reported an error' in content
    assert "Putting the results together: “Sunny, 24 °C”. (1 call(s) failed.)" in content


def test_required_calls_a_function_again_even_after_results(base_url: str) -> None:
    first = chat(base_url, model=GEMINI_25, messages=CHICAGO, tools=[WEATHER])
    calls = message_of(first)["tool_calls"]
    history = [*CHICAGO, {"role": "assistant", "tool_calls": calls}, *results_for(calls, "Rain")]

    auto = chat(base_url, model=GEMINI_25, messages=history, tools=[WEATHER])
    required = chat(
        base_url, model=GEMINI_25, messages=history, tools=[WEATHER], tool_choice="required"
    )

    assert "Rain" in message_of(auto)["content"]
    assert calls_of(required) == [("get_weather", {"location": "Chicago"})]


def test_gemini_2_5_streams_parallel_calls_in_one_delta_without_index(base_url: str) -> None:
    chunks = streamed(base_url, model=GEMINI_25, messages=TWO_CITIES, tools=[WEATHER])

    [calls] = streamed_calls(chunks)
    assert [json.loads(c["function"]["arguments"]) for c in calls] == [
        {"location": "Seoul"},
        {"location": "Oslo"},
    ]
    assert all("index" not in call and "extra_content" not in call for call in calls)
    assert all(call["id"].startswith("function-call-") for call in calls)
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_gemini_3_streams_one_call_per_chunk_and_signs_the_first(base_url: str) -> None:
    chunks = streamed(base_url, model=GEMINI_3, messages=TWO_CITIES, tools=[WEATHER])

    per_chunk = streamed_calls(chunks)
    assert [len(calls) for calls in per_chunk] == [1, 1]
    first, second = per_chunk[0][0], per_chunk[1][0]
    assert first["extra_content"]["google"]["thought_signature"]
    assert "extra_content" not in second
    assert "index" not in first and "index" not in second
    assert "finish_reason" not in chunks[0]["choices"][0]
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_thoughts_come_before_the_calls_when_asked_for(base_url: str) -> None:
    thoughts = {"google": {"thinking_config": {"include_thoughts": True}}}

    chunks = streamed(
        base_url, model=GEMINI_3, messages=CHICAGO, tools=[WEATHER], extra_body=thoughts
    )

    deltas = [chunk["choices"][0]["delta"] for chunk in chunks]
    assert deltas[0]["content"].startswith("<thought>")
    assert "tool_calls" in deltas[-1] and "content" not in deltas[-1]


def test_a_whole_gemini_3_reply_signs_only_the_first_call(base_url: str) -> None:
    reply = chat(base_url, model=GEMINI_3, messages=TWO_CITIES, tools=[WEATHER])

    first, second = message_of(reply)["tool_calls"]
    assert first["extra_content"]["google"]["thought_signature"]
    assert "extra_content" not in second
    assert "extra_content" not in message_of(reply)


def test_usage_counts_the_calls(base_url: str) -> None:
    one = chat(base_url, model=GEMINI_25, messages=CHICAGO, tools=[WEATHER])
    two = chat(base_url, model=GEMINI_25, messages=TWO_CITIES, tools=[WEATHER])

    assert 0 < one["usage"]["completion_tokens"] < two["usage"]["completion_tokens"]


def test_the_same_seeded_request_gets_the_same_calls(base_url: str) -> None:
    body = {"model": GEMINI_3, "messages": TWO_CITIES, "tools": [WEATHER], "seed": 1}

    assert chat(base_url, **body)["choices"] == chat(base_url, **body)["choices"]


@pytest.mark.parametrize(
    ("tool_choice", "tools", "wording"),
    [
        ("sometimes", [WEATHER], "Invalid tool_choice: sometimes. Valid values are: auto, none"),
        ("required", None, "is only allowed when function declarations are given"),
        (
            {"type": "function", "function": {"name": "get_time"}},
            [WEATHER],
            "names function get_time, which is not among the function declarations",
        ),
        ({"type": "function"}, [WEATHER], "Invalid value at 'tool_choice'"),
    ],
)
def test_it_refuses_a_tool_choice_it_cannot_follow(
    base_url: str, tool_choice: object, tools: object, wording: str
) -> None:
    body = {"model": GEMINI_25, "messages": CHICAGO, "tool_choice": tool_choice}
    if tools:
        body["tools"] = tools

    response = post_raw(base_url, "chat/completions", body)

    assert response.status_code == 400
    assert wording in error_of(response)["message"]


def test_it_refuses_a_function_name_gemini_cannot_take(base_url: str) -> None:
    bad = {"type": "function", "function": {"name": "get weather"}}

    response = post_raw(
        base_url, "chat/completions", {"model": GEMINI_25, "messages": CHICAGO, "tools": [bad]}
    )

    assert response.status_code == 400
    assert error_of(response)["message"] == (
        "* GenerateContentRequest.tools[0].function_declarations[0].name: Invalid function name. "
        "Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), "
        "underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64."
    )


def test_it_refuses_two_functions_of_the_same_name(base_url: str) -> None:
    body = {"model": GEMINI_25, "messages": CHICAGO, "tools": [WEATHER, WEATHER]}

    response = post_raw(base_url, "chat/completions", body)

    assert response.status_code == 400
    assert "Duplicate function declaration found: get_weather" in error_of(response)["message"]


@pytest.mark.parametrize("arguments", ["{not json", "[1, 2]", 5])
def test_it_refuses_call_arguments_that_are_not_a_json_object(
    base_url: str, arguments: object
) -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "get_weather"}}
    call["function"]["arguments"] = arguments
    history = [
        *CHICAGO,
        {"role": "assistant", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c1", "content": "Sunny"},
    ]

    response = post_raw(
        base_url, "chat/completions", {"model": GEMINI_25, "messages": history, "tools": [WEATHER]}
    )

    assert response.status_code == 400
    assert "messages[1].tool_calls[0].function.arguments" in error_of(response)["message"]
