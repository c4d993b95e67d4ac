"""Gemini 3 wants each call's thought signature back on the call it came on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.emulator.conftest import error_of, post_raw
from tests.emulator.tool_requests import (
    CHICAGO,
    GEMINI_3,
    GEMINI_25,
    TWO_CITIES,
    WEATHER,
    chat,
    message_of,
    results_for,
    streamed,
    streamed_calls,
)

RECORDINGS = Path(__file__).parent / "recordings"
MISSING = "Function call is missing a thought_signature in functionCall parts."


def unsigned(call: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in call.items() if key != "extra_content"}


def signature_of(call: dict[str, Any]) -> str:
    return call["extra_content"]["google"]["thought_signature"]


def send_back(
    base_url: str, calls: list[dict[str, Any]], *, model: str = GEMINI_3, before: list | None = None
) -> Any:
    history = [
        *(before or []),
        *TWO_CITIES,
        {"role": "assistant", "tool_calls": calls},
        *results_for(calls, *["Sunny"] * len(calls)),
    ]
    body = {"model": model, "messages": history, "tools": [WEATHER]}
    return post_raw(base_url, "chat/completions", body)


@pytest.fixture
def signed_calls(base_url: str) -> list[dict[str, Any]]:
    return message_of(chat(base_url, model=GEMINI_3, messages=TWO_CITIES, tools=[WEATHER]))[
        "tool_calls"
    ]


def test_calls_sent_back_as_they_came_are_accepted(base_url: str, signed_calls: list) -> None:
    response = send_back(base_url, signed_calls)

    assert response.status_code == 200, response.text
    assert "returned “Sunny”" in message_of(response.json())["content"]


def test_streamed_calls_sent_back_as_they_came_are_accepted(base_url: str) -> None:
    chunks = streamed(base_url, model=GEMINI_3, messages=TWO_CITIES, tools=[WEATHER])
    calls = [call for per_chunk in streamed_calls(chunks) for call in per_chunk]

    assert send_back(base_url, calls).status_code == 200


def test_a_dropped_signature_gets_geminis_recorded_400(base_url: str) -> None:
    terminal = {
        "type": "function",
        "function": {
            "name": "terminal",
            "parameters": {"type": "object", "properties": {"command": {"type": "string"}}},
        },
    }
    asked = [{"role": "user", "content": "List the files here."}]
    first = chat(base_url, model=GEMINI_3, messages=asked, tools=[terminal])
    [call] = message_of(first)["tool_calls"]
    history = [
        *asked,
        {"role": "assistant", "tool_calls": [unsigned(call)]},
        {"role": "tool", "tool_call_id": call["id"], "content": "a.txt"},
    ]

    response = post_raw(
        base_url, "chat/completions", {"model": GEMINI_3, "messages": history, "tools": [terminal]}
    )

    recorded = RECORDINGS / "error_400_missing_thought_signature_zafiro-issue-100.json"
    assert response.status_code == 400
    assert response.json() == json.loads(recorded.read_text())


def test_the_position_counts_contents_without_the_system_message(
    base_url: str, signed_calls: list
) -> None:
    earlier = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hello"},
        {"role": "assistant", "content": "Hi!"},
    ]
    calls = [unsigned(signed_calls[0]), signed_calls[1]]

    error = error_of(send_back(base_url, calls, before=earlier))

    assert MISSING in error["message"]
    assert "function call default_api:get_weather , position 4." in error["message"]


def test_a_signature_moved_to_the_second_call_leaves_the_first_missing(
    base_url: str, signed_calls: list
) -> None:
    first, second = signed_calls
    moved = [unsigned(first), {**second, "extra_content": first["extra_content"]}]

    error = error_of(send_back(base_url, moved))

    assert MISSING in error["message"] and "position 2." in error["message"]


def test_a_signature_from_another_call_is_corrupted(base_url: str, signed_calls: list) -> None:
    other = message_of(chat(base_url, model=GEMINI_3, messages=CHICAGO, tools=[WEATHER]))
    borrowed = {**signed_calls[0], "extra_content": other["tool_calls"][0]["extra_content"]}

    response = send_back(base_url, [borrowed, signed_calls[1]])

    assert response.status_code == 400
    assert error_of(response)["message"] == "Corrupted thought signature."


def test_re_serialised_arguments_keep_their_signature(base_url: str, signed_calls: list) -> None:
    first = signed_calls[0]
    spaced = json.dumps(json.loads(first["function"]["arguments"]), indent=2)
    rewritten = {**first, "function": {**first["function"], "arguments": spaced}}

    assert send_back(base_url, [rewritten, signed_calls[1]]).status_code == 200


def test_googles_dummy_signature_is_let_through(base_url: str, signed_calls: list) -> None:
    dummy = {"google": {"thought_signature": "skip_thought_signature_validator"}}

    response = send_back(base_url, [{**signed_calls[0], "extra_content": dummy}, signed_calls[1]])

    assert response.status_code == 200


def test_calls_of_earlier_turns_are_not_checked(base_url: str, signed_calls: list) -> None:
    earlier = [
        {"role": "user", "content": "Weather in Rome?"},
        {"role": "assistant", "tool_calls": [unsigned(signed_calls[0])]},
        {"role": "tool", "tool_call_id": signed_calls[0]["id"], "content": "Hot"},
        {"role": "assistant", "content": "It is hot in Rome."},
    ]

    assert send_back(base_url, signed_calls, before=earlier).status_code == 200


def test_gemini_2_5_does_not_ask_for_signatures(base_url: str, signed_calls: list) -> None:
    calls = [unsigned(call) for call in signed_calls]

    assert send_back(base_url, calls, model=GEMINI_25).status_code == 200
