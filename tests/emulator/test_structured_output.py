"""`response_format`: JSON built from the schema, valid against it, filled from the prompt."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openai import OpenAI
from pydantic import BaseModel, Field

from playground.emulator.prompt_clues import prompt_clues
from playground.emulator.schema_values import value_for_schema
from tests.emulator.tool_requests import GEMINI_3, GEMINI_25, chat, streamed

EVENT_PROMPT = "John and Susan are going to an AI conference on Friday."
SCHEMAS = {
    "bounds": {
        "type": "object",
        "properties": {
            "score": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            "count": {"type": "integer", "minimum": 10, "multipleOf": 5},
            "below": {"type": "integer", "maximum": -3},
        },
        "required": ["score", "count", "below"],
    },
    "strings": {
        "type": "object",
        "properties": {
            "code": {"type": "string", "minLength": 30},
            "short": {"type": "string", "maxLength": 3},
            "when": {"type": "string", "format": "date-time"},
            "mail": {"type": "string", "format": "email"},
            "id": {"type": "string", "format": "uuid"},
            "digits": {"type": "string", "pattern": "^[0-9]+$"},
        },
        "required": ["code", "short", "when", "mail", "id", "digits"],
    },
    "arrays": {
        "type": "object",
        "properties": {
            "three": {"type": "array", "items": {"type": "integer"}, "minItems": 3},
            "unique": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 2,
                "uniqueItems": True,
            },
            "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}]},
            "none": {"type": "array", "maxItems": 0},
        },
        "required": ["three", "unique", "pair", "none"],
    },
    "combinators": {
        "type": "object",
        "properties": {
            "maybe": {"anyOf": [{"type": "null"}, {"type": "string"}]},
            "either": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
            "both": {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}]},
            "fixed": {"const": "v1"},
            "listed": {"type": ["null", "boolean"]},
        },
        "required": ["maybe", "either", "both", "fixed", "listed"],
        "additionalProperties": False,
    },
    "references": {
        "$defs": {
            "Person": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                "required": ["name", "age"],
            }
        },
        "type": "object",
        "properties": {
            "host": {"$ref": "#/$defs/Person"},
            "guests": {"type": "array", "items": {"$ref": "#/$defs/Person"}, "minItems": 2},
        },
        "required": ["host", "guests"],
    },
}


class Step(BaseModel):
    explanation: str
    output: str


class MathReasoning(BaseModel):
    steps: list[Step] = Field(min_length=1)
    final_answer: str
    confidence: Literal["low", "high"]


def schema_format(schema: dict, name: str = "reply") -> dict:
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_a_json_schema_reply_is_valid_against_its_schema(base_url: str, name: str) -> None:
    reply = chat(
        base_url,
        model=GEMINI_25,
        messages=[{"role": "user", "content": EVENT_PROMPT}],
        response_format=schema_format(SCHEMAS[name]),
    )

    value = json.loads(reply["choices"][0]["message"]["content"])
    jsonschema.validate(value, SCHEMAS[name], format_checker=jsonschema.FormatChecker())


def test_strings_come_from_the_prompt(base_url: str) -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "date": {"type": "string"},
            "participants": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["name", "date", "participants"],
    }

    reply = chat(
        base_url,
        model=GEMINI_3,
        messages=[{"role": "user", "content": EVENT_PROMPT}],
        response_format=schema_format(schema),
    )

    assert json.loads(reply["choices"][0]["message"]["content"]) == {
        "name": "AI conference",
        "date": "Friday",
        "participants": ["John", "Susan"],
    }


def test_a_streamed_json_reply_joins_into_valid_json(base_url: str) -> None:
    schema = SCHEMAS["references"]

    chunks = streamed(
        base_url,
        model=GEMINI_25,
        messages=[{"role": "user", "content": EVENT_PROMPT}],
        response_format=schema_format(schema),
    )

    text = "".join(chunk["choices"][0]["delta"].get("content") or "" for chunk in chunks)
    jsonschema.validate(json.loads(text), schema)


def test_the_sdk_parses_a_nested_pydantic_model(sdk: OpenAI) -> None:
    completion = sdk.chat.completions.parse(
        model=GEMINI_3,
        messages=[{"role": "user", "content": "How can I solve 8x + 7 = -23, in steps?"}],
        response_format=MathReasoning,
    )

    parsed = completion.choices[0].message.parsed
    assert isinstance(parsed, MathReasoning)
    assert parsed.steps and parsed.confidence in ("low", "high")


def test_json_object_gives_an_object_that_says_it_is_made_up(base_url: str) -> None:
    reply = chat(
        base_url,
        model=GEMINI_25,
        messages=[{"role": "user", "content": EVENT_PROMPT}],
        response_format={"type": "json_object"},
    )

    value = json.loads(reply["choices"][0]["message"]["content"])
    assert isinstance(value, dict) and "made up locally" in value["note"]


def test_a_date_format_follows_the_weekday_named() -> None:
    schema = {"type": "object", "properties": {"day": {"type": "string", "format": "date"}}}

    value = value_for_schema(schema, prompt_clues("Lunch on Friday?"))

    day = date.fromisoformat(value["day"])
    assert day.weekday() == 4 and 0 <= (day - date.today()).days < 7


# Small schemas of the kinds people write, generated: every one must get a valid value.
LEAVES = st.one_of(
    st.builds(lambda low: {"type": "integer", "minimum": low}, st.integers(-50, 50)),
    st.builds(
        lambda low, span: {"type": "number", "minimum": low, "maximum": low + span},
        st.floats(-10, 10, allow_nan=False),
        st.floats(0, 5, allow_nan=False),
    ),
    st.builds(lambda n: {"type": "string", "minLength": n}, st.integers(0, 40)),
    st.builds(lambda n: {"type": "string", "maxLength": n}, st.integers(0, 5)),
    st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=4, unique=True).map(
        lambda values: {"enum": values}
    ),
    st.just({"type": "boolean"}),
    st.just({"type": ["string", "null"]}),
    st.just({"type": "string", "format": "date"}),
)
SCHEMA_TREES = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.builds(
            lambda low, item: {"type": "array", "items": item, "minItems": low},
            st.integers(0, 4),
            children,
        ),
        st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), children, max_size=4).map(
            lambda props: {"type": "object", "properties": props, "required": sorted(props)}
        ),
        st.lists(children, min_size=1, max_size=3).map(lambda options: {"anyOf": options}),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, database=None)
@given(schema=SCHEMA_TREES, prompt=st.sampled_from([EVENT_PROMPT, "", "Add 3 and -4.5 now"]))
def test_generated_schemas_get_valid_values(schema: dict, prompt: str) -> None:
    value = value_for_schema(schema, prompt_clues(prompt))

    jsonschema.validate(value, schema, format_checker=jsonschema.FormatChecker())
