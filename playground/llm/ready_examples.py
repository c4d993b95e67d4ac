"""Ready tool definitions and response schemas, each with a prompt that puts it to work.

The weather tool and the CalendarEvent schema are the seed page's own (Google's OpenAI
compatibility page); the others are small, common shapes. Each call returns fresh copies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Example:
    key: str
    label: str
    prompt: str  # a message that makes the model use it
    value_json: str  # compact JSON of the tool or schema
    name: str = ""  # for schemas: the json_schema name to send

    @property
    def value(self) -> dict[str, Any]:
        return json.loads(self.value_json)

    @property
    def pretty(self) -> str:
        """Indented, ready to drop into an editor."""
        return json.dumps(self.value, indent=2, ensure_ascii=False)


def _example(key: str, label: str, prompt: str, value: dict[str, Any], name: str = "") -> Example:
    return Example(key, label, prompt, json.dumps(value, separators=(",", ":")), name)


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
CALCULATOR = {
    "type": "function",
    "function": {
        "name": "calculate",
        "description": "Evaluate an arithmetic expression and return the number",
        "parameters": {
            "type": "object",
            "properties": {
                "expression": {
                    "type": "string",
                    "description": "The expression, with + - * / and brackets, e.g. 12 * (3 + 4)",
                }
            },
            "required": ["expression"],
        },
    },
}
CURRENT_TIME = {
    "type": "function",
    "function": {
        "name": "get_current_time",
        "description": "Get the current time in a time zone",
        "parameters": {
            "type": "object",
            "properties": {
                "timezone": {
                    "type": "string",
                    "description": "An IANA time zone such as Europe/Oslo",
                }
            },
            "required": ["timezone"],
        },
    },
}
CALENDAR_EVENT = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "date": {"type": "string"},
        "participants": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name", "date", "participants"],
    "additionalProperties": False,
}
SENTIMENT = {
    "type": "object",
    "properties": {
        "sentiment": {"type": "string", "enum": ["positive", "neutral", "negative"]},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "reasons": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
    },
    "required": ["sentiment", "confidence", "reasons"],
}
RECIPES = {
    "type": "object",
    "properties": {
        "recipes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "recipe_name": {"type": "string"},
                    "ingredients": {"type": "array", "items": {"type": "string"}},
                    "minutes": {"type": "integer", "minimum": 1},
                },
                "required": ["recipe_name", "ingredients", "minutes"],
            },
        }
    },
    "required": ["recipes"],
}


def tool_examples() -> tuple[Example, ...]:
    return (
        _example("weather", "Weather", "What's the weather like in Chicago today?", WEATHER),
        _example("calculator", "Calculator", "What is 12 * (3 + 4)?", CALCULATOR),
        _example("time", "Current time", "What time is it in Oslo and in Seoul?", CURRENT_TIME),
    )


def schema_examples() -> tuple[Example, ...]:
    return (
        _example(
            "calendar_event",
            "Calendar event",
            "John and Susan are going to an AI conference on Friday.",
            CALENDAR_EVENT,
            name="CalendarEvent",
        ),
        _example(
            "sentiment",
            "Sentiment",
            "The delivery was late but the support team was wonderful.",
            SENTIMENT,
            name="Sentiment",
        ),
        _example(
            "recipes",
            "Recipes",
            "List a few popular cookie recipes with their ingredients.",
            RECIPES,
            name="Recipes",
        ),
    )
