"""Function tools, `tool_choice` and `response_format` as frozen values of a RunSpec.

Schemas are kept as compact JSON text in the author's key order: a frozen value cannot hold
a dict, and the order of properties is part of what a person wrote (Gemini fills structured
replies in that order). Whitespace is not: two tools that differ only in layout are equal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

TOOL_CHOICE_WORDS = ("auto", "none", "required")
# What OpenAI accepts as a json_schema name; Gemini ignores it, the SDKs insist on it.
SCHEMA_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
DEFAULT_SCHEMA_NAME = "response"


def compact_json_object(value: str | Mapping[str, Any] | None, what: str) -> str:
    """A JSON object as compact text, keys in their given order ("" for none)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    parsed = json.loads(value) if isinstance(value, str) else value
    if not isinstance(parsed, Mapping):
        raise ValueError(f"{what} must be a JSON object.")
    return json.dumps(parsed, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class FunctionTool:
    """One entry of `tools`: a function the model may call."""

    name: str
    description: str = ""
    parameters_json: str = ""  # a JSON Schema object; "" when the function takes nothing
    strict: bool | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("A function tool needs a name.")
        if not isinstance(self.description, str):
            raise ValueError(f"The description of {self.name} must be text.")
        parameters = compact_json_object(self.parameters_json, f"The parameters of {self.name}")
        object.__setattr__(self, "parameters_json", parameters)

    @property
    def parameters(self) -> dict[str, Any] | None:
        return json.loads(self.parameters_json) if self.parameters_json else None

    def to_wire(self) -> dict[str, Any]:
        function: dict[str, Any] = {"name": self.name}
        if self.description:
            function["description"] = self.description
        if self.parameters_json:
            function["parameters"] = self.parameters
        if self.strict is not None:
            function["strict"] = self.strict
        return {"type": "function", "function": function}

    @classmethod
    def from_wire(cls, data: FunctionTool | Mapping[str, Any]) -> FunctionTool:
        """Reads `{"type": "function", "function": {...}}`, or the bare function object."""
        if isinstance(data, FunctionTool):
            return data
        if not isinstance(data, Mapping):
            raise ValueError("A tool must be a JSON object.")
        if data.get("type", "function") != "function":
            raise ValueError(f"Only function tools are supported, not {data.get('type')!r}.")
        if "function" in data:
            data = data["function"]
            if not isinstance(data, Mapping):
                raise ValueError("A tool's `function` must be a JSON object.")
        strict = data.get("strict")
        return cls(
            name=data.get("name") or "",
            description=data.get("description") or "",
            parameters_json=data.get("parameters"),  # type: ignore[arg-type]
            strict=strict if isinstance(strict, bool) else None,
        )


@dataclass(frozen=True, slots=True)
class FunctionChoice:
    """`tool_choice` naming the one function the model must call."""

    name: str

    def to_wire(self) -> dict[str, Any]:
        return {"type": "function", "function": {"name": self.name}}


def tool_choice_from(value: object) -> str | FunctionChoice | None:
    if value is None or isinstance(value, FunctionChoice):
        return value
    if isinstance(value, str):
        if value not in TOOL_CHOICE_WORDS:
            words = ", ".join(TOOL_CHOICE_WORDS)
            raise ValueError(f"tool_choice must be {words} or a named function, not {value!r}.")
        return value
    if isinstance(value, Mapping):
        function = value.get("function")
        name = function.get("name") if isinstance(function, Mapping) else None
        if value.get("type") == "function" and isinstance(name, str) and name:
            return FunctionChoice(name)
    raise ValueError(f"tool_choice cannot be read: {value!r}.")


def tool_choice_wire(choice: str | FunctionChoice) -> str | dict[str, Any]:
    return choice.to_wire() if isinstance(choice, FunctionChoice) else choice


@dataclass(frozen=True, slots=True)
class ResponseFormat:
    """`response_format`: any JSON object, or JSON valid against a schema."""

    type: Literal["json_object", "json_schema"]
    schema_json: str = ""
    name: str = DEFAULT_SCHEMA_NAME
    strict: bool | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if self.type not in ("json_object", "json_schema"):
            raise ValueError(
                f"response_format type must be json_object or json_schema, not {self.type!r}."
            )
        schema = compact_json_object(self.schema_json, "The response schema")
        object.__setattr__(self, "schema_json", schema)
        if self.type == "json_schema":
            if not schema:
                raise ValueError("A json_schema response format needs a schema.")
            if not SCHEMA_NAME.fullmatch(self.name or ""):
                raise ValueError(
                    "The schema name must be 1 to 64 letters, digits, underscores or dashes."
                )

    @property
    def schema(self) -> dict[str, Any] | None:
        return json.loads(self.schema_json) if self.schema_json else None

    def to_wire(self) -> dict[str, Any]:
        if self.type == "json_object":
            return {"type": "json_object"}
        json_schema: dict[str, Any] = {"name": self.name}
        if self.description:
            json_schema["description"] = self.description
        json_schema["schema"] = self.schema
        if self.strict is not None:
            json_schema["strict"] = self.strict
        return {"type": "json_schema", "json_schema": json_schema}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> ResponseFormat:
        kind = data.get("type")
        if kind == "json_object":
            return cls("json_object")
        if kind != "json_schema":
            raise ValueError(
                f"response_format type must be json_object or json_schema, not {kind!r}."
            )
        inner = data.get("json_schema")
        if not isinstance(inner, Mapping):
            raise ValueError("A json_schema response format needs `json_schema`.")
        strict = inner.get("strict")
        return cls(
            "json_schema",
            schema_json=inner.get("schema"),  # type: ignore[arg-type]
            name=inner.get("name") or DEFAULT_SCHEMA_NAME,
            strict=strict if isinstance(strict, bool) else None,
            description=inner.get("description") or "",
        )


def response_format_from(value: object) -> ResponseFormat | None:
    """None and `{"type": "text"}` both mean plain text: nothing is sent."""
    if value is None or isinstance(value, ResponseFormat):
        return value
    if isinstance(value, Mapping):
        if value.get("type") == "text":
            return None
        return ResponseFormat.from_wire(value)
    raise ValueError(f"response_format cannot be read: {value!r}.")
