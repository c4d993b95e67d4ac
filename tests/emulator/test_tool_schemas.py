"""Tool schemas with keywords Gemini's function declarations cannot hold get Gemini's 400."""

from __future__ import annotations

import pytest

from tests.emulator.conftest import error_of, post_raw
from tests.emulator.tool_requests import CHICAGO, GEMINI_25, WEATHER, chat

AT = "tools[0].function_declarations[0].parameters"


def tool_with(parameters: dict) -> dict:
    return {"type": "function", "function": {"name": "lookup", "parameters": parameters}}


def refusal(base_url: str, *tools: dict) -> tuple[int, dict]:
    body = {"model": GEMINI_25, "messages": CHICAGO, "tools": list(tools)}
    response = post_raw(base_url, "chat/completions", body)
    return response.status_code, error_of(response)


@pytest.mark.parametrize(
    ("parameters", "keyword", "at", "reason"),
    [
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "$schema": "x"},
            "$schema",
            AT,
            "Cannot find field.",
        ),
        (
            {"type": "object", "properties": {"a": {"const": "x"}}},
            "const",
            f"{AT}.properties[0].value",
            "Cannot find field.",
        ),
        (
            {"type": "object", "propertyNames": {"pattern": "^a"}},
            "propertyNames",
            AT,
            "Cannot find field.",
        ),
        (
            {
                "type": "object",
                "properties": {
                    "a": {"type": "string"},
                    "b": {"type": "object", "additionalProperties": False},
                },
            },
            "additionalProperties",
            f"{AT}.properties[1].value",
            "Cannot find field.",
        ),
        (
            {"type": "object", "properties": {"a": {"type": ["string", "null"]}}},
            "type",
            f"{AT}.properties[0].value",
            "Proto field is not repeating, cannot start list.",
        ),
        (
            {
                "type": "object",
                "properties": {
                    "a": {"type": "array", "items": {"anyOf": [{"const": 1}, {"type": "string"}]}}
                },
            },
            "const",
            f"{AT}.properties[0].value.items.any_of[0]",
            "Cannot find field.",
        ),
    ],
)
def test_it_refuses_a_keyword_gemini_has_no_field_for(
    base_url: str, parameters: dict, keyword: str, at: str, reason: str
) -> None:
    status, error = refusal(base_url, tool_with(parameters))

    message = f"Invalid JSON payload received. Unknown name \"{keyword}\" at '{at}': {reason}"
    assert status == 400
    assert error["message"] == message
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["details"] == [
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": at, "description": message}],
        }
    ]


def test_it_lists_every_refused_keyword_one_per_line(base_url: str) -> None:
    first = tool_with({"type": "object", "$schema": "x"})
    second = tool_with({"type": "object", "properties": {"a": {"const": 1}}})
    second["function"]["name"] = "other"

    _, error = refusal(base_url, first, second)

    assert error["message"].splitlines() == [
        'Invalid JSON payload received. Unknown name "$schema" at '
        "'tools[0].function_declarations[0].parameters': Cannot find field.",
        'Invalid JSON payload received. Unknown name "const" at '
        "'tools[0].function_declarations[1].parameters.properties[0].value': Cannot find field.",
    ]
    assert len(error["details"][0]["fieldViolations"]) == 2


def test_additional_properties_at_the_top_is_accepted(base_url: str) -> None:
    # As in the recorded pydantic-ai request, which Gemini answered.
    strict = tool_with({"type": "object", "properties": {}, "additionalProperties": False})

    reply = chat(base_url, model=GEMINI_25, messages=CHICAGO, tools=[strict, WEATHER])

    assert reply["choices"][0]["message"]["tool_calls"]
