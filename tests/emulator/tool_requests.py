"""Tools, prompts and small helpers shared by the emulator's function-calling tests."""

from __future__ import annotations

import json
from typing import Any

from tests.emulator.conftest import post_raw, stream_chunks

# The seed page's function-calling example (Google's OpenAI compatibility page).
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the weather in a given location",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {
                    "type": "string",
                    "description": "The city and state, e.g. Chicago, IL",
                },
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["location"],
        },
    },
}
TIME = {
    "type": "function",
    "function": {
        "name": "get_current_time",
        "description": "Get the current time in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
CALCULATOR = {
    "type": "function",
    "function": {
        "name": "calculate",
        "description": "Evaluate an arithmetic expression",
        "parameters": {
            "type": "object",
            "properties": {"expression": {"type": "string"}},
            "required": ["expression"],
        },
    },
}
CHICAGO = [{"role": "user", "content": "What's the weather like in Chicago today?"}]
TWO_CITIES = [{"role": "user", "content": "What's the weather in Seoul and in Oslo?"}]
GEMINI_25 = "gemini-2.5-flash"
GEMINI_3 = "gemini-3-flash-preview"


def chat(base_url: str, **body: Any) -> dict[str, Any]:
    response = post_raw(base_url, "chat/completions", body)
    assert response.status_code == 200, response.text
    return response.json()


def streamed(base_url: str, **body: Any) -> list[dict[str, Any]]:
    response = post_raw(base_url, "chat/completions", {**body, "stream": True})
    assert response.status_code == 200, response.text
    return stream_chunks(response.text)


def message_of(reply: dict[str, Any]) -> dict[str, Any]:
    return reply["choices"][0]["message"]


def calls_of(reply: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(name, parsed arguments) of each call in a whole reply."""
    return [
        (call["function"]["name"], json.loads(call["function"]["arguments"]))
        for call in message_of(reply)["tool_calls"]
    ]


def streamed_calls(chunks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The tool calls of each chunk that has any, chunk by chunk."""
    return [
        chunk["choices"][0]["delta"]["tool_calls"]
        for chunk in chunks
        if chunk["choices"][0]["delta"].get("tool_calls")
    ]


def results_for(calls: list[dict[str, Any]], *contents: str) -> list[dict[str, Any]]:
    return [
        {"role": "tool", "tool_call_id": call["id"], "content": content}
        for call, content in zip(calls, contents, strict=True)
    ]
