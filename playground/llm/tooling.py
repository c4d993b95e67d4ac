"""What a tools editor and a structured-output panel need, with no page in sight.

- `tool_schema_problems` / `tool_text_problems`: is this a function tool Gemini takes?
  JSON Schema validity (checked against the metaschema), with a JSON pointer and, for text,
  the line and column of each problem; warnings for keywords Gemini refuses with a 400.
- `schema_problems` / `schema_text_problems`: the same for a `response_format` schema.
- `check_structured_reply`: is the reply JSON valid against the schema, and where not.
- `tool_round_messages`: the assistant turn (every `extra_content` as received) and the tool
  results that continue a tool loop.
- `tool_examples` / `schema_examples`: ready definitions, the seed page's among them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError, best_match
from jsonschema.validators import validator_for

from playground.llm.events import ToolCallEvent
from playground.llm.json_locations import (
    json_error_message,
    json_places,
    place_of,
    pointer_escape,
    pointer_of,
)
from playground.llm.ready_examples import Example, schema_examples, tool_examples
from playground.llm.runspec import Message

__all__ = [
    "Example",
    "Problem",
    "check_structured_reply",
    "json_error_message",
    "pretty_arguments",
    "schema_examples",
    "schema_problems",
    "schema_text_problems",
    "tool_error_result",
    "tool_examples",
    "tool_round_messages",
    "tool_schema_problems",
    "tool_text_problems",
]

Severity = Literal["error", "warning"]
# Gemini's rule for function names.
FUNCTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]{0,63}")
JSON_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null")
GEMINI_REFUSES = {
    "$schema": 'Gemini refuses "$schema" in tool parameters (400 Unknown name): remove it.',
    "const": 'Gemini refuses "const" in tool parameters (400 Unknown name): use "enum" with '
    "one value instead.",
    "propertyNames": 'Gemini refuses "propertyNames" in tool parameters (400 Unknown name): '
    "remove it.",
    "additionalProperties": 'Gemini refuses "additionalProperties" below the top level of '
    "tool parameters (400 Unknown name): remove it here.",
    "type": 'Gemini refuses "type" given as a list (400 Proto field is not repeating): give '
    "one type, and leave a property out of `required` instead of allowing null.",
}


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    message: str
    pointer: str = ""  # JSON pointer into the checked document; "" is the whole of it
    line: int | None = None  # from 1, when the document was given as text
    column: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def _error(message: str, pointer: str = "") -> Problem:
    return Problem("error", message, pointer)


def _metaschema_problems(schema: Mapping[str, Any], at: str) -> list[Problem]:
    """JSON Schema validity, one problem per place (the most telling error there)."""
    cls = validator_for(schema, default=Draft202012Validator)
    by_place: dict[str, list[ValidationError]] = {}
    for error in cls(cls.META_SCHEMA).iter_errors(schema):
        by_place.setdefault(at + pointer_of(error.path), []).append(error)
    problems = []
    for pointer, errors in by_place.items():
        error = best_match(errors)
        assert error is not None
        message = error.message
        if pointer.endswith("/type") and isinstance(error.instance, str):
            message = f"Unknown type {error.instance!r}: use one of {', '.join(JSON_TYPES)}."
        problems.append(_error(f"Not valid JSON Schema: {message}", pointer))
    return problems


def _subschemas(schema: Any, at: str) -> Iterator[tuple[Mapping[str, Any], str, bool]]:
    """(schema, pointer, is the root) for the parts Gemini reads: properties, items, anyOf."""
    if not isinstance(schema, Mapping):
        return
    yield schema, at, at.endswith("/parameters") or at == ""
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        for key, sub in properties.items():
            yield from _subschemas(sub, f"{at}/properties/{pointer_escape(key)}")
    if isinstance(schema.get("items"), Mapping):
        yield from _subschemas(schema["items"], f"{at}/items")
    if isinstance(schema.get("anyOf"), list):
        for index, sub in enumerate(schema["anyOf"]):
            yield from _subschemas(sub, f"{at}/anyOf/{index}")


def gemini_refusals(parameters: Any, at: str) -> list[Problem]:
    """Warnings for keywords Gemini's function declarations cannot hold."""
    problems = []
    for schema, pointer, is_root in _subschemas(parameters, at):
        for key, value in schema.items():
            refused = key in ("$schema", "const", "propertyNames")
            refused |= key == "additionalProperties" and not is_root
            refused |= key == "type" and isinstance(value, list)
            if refused:
                problems.append(Problem("warning", GEMINI_REFUSES[key], f"{pointer}/{key}"))
    return problems


def _function_problems(function: Mapping[str, Any], at: str) -> list[Problem]:
    problems = []
    name = function.get("name")
    if not isinstance(name, str) or not name:
        problems.append(_error("A function needs a name.", f"{at}/name" if name else at))
    elif not FUNCTION_NAME.fullmatch(name):
        problems.append(
            _error(
                "Function names start with a letter or an underscore and use only letters, "
                "digits, _ . : - (at most 64 characters).",
                f"{at}/name",
            )
        )
    description = function.get("description")
    if description is not None and not isinstance(description, str):
        problems.append(_error("The description must be text.", f"{at}/description"))
    elif not description:
        problems.append(
            Problem("warning", "Without a description the model has to guess when to call it.", at)
        )
    parameters = function.get("parameters")
    if parameters is None:
        return problems
    where = f"{at}/parameters"
    if not isinstance(parameters, Mapping):
        return [*problems, _error("parameters must be a JSON Schema object.", where)]
    problems += _metaschema_problems(parameters, where)
    if parameters.get("type") != "object":
        problems.append(_error('parameters must describe an object: "type": "object".', where))
    return problems + gemini_refusals(parameters, where)


def tool_schema_problems(tool: Mapping[str, Any]) -> list[Problem]:
    """Problems of one tool: `{"type": "function", "function": {...}}` or the bare function."""
    if not isinstance(tool, Mapping):
        return [_error("A tool must be a JSON object.")]
    if "function" not in tool:
        return _function_problems(tool, "")
    problems = []
    if tool.get("type", "function") != "function":
        problems.append(_error('Only function tools are supported: "type": "function".', "/type"))
    function = tool["function"]
    if not isinstance(function, Mapping):
        return [*problems, _error("`function` must be a JSON object.", "/function")]
    return problems + _function_problems(function, "/function")


def schema_problems(schema: Mapping[str, Any]) -> list[Problem]:
    """Problems of a `response_format` schema (Gemini takes these keywords there)."""
    if not isinstance(schema, Mapping):
        return [_error("A schema must be a JSON object.")]
    return _metaschema_problems(schema, "")


def _from_text(text: str, check: Any) -> tuple[Any, list[Problem]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        problem = Problem("error", json_error_message(error), "", error.lineno, error.colno)
        return None, [problem]
    places = json_places(text)
    located = []
    for problem in check(value):
        place = place_of(places, problem.pointer)
        line, column = (place.line, place.column) if place else (None, None)
        located.append(Problem(problem.severity, problem.message, problem.pointer, line, column))
    return value, sorted(located, key=lambda p: (p.line or 0, p.column or 0, p.severity))


def tool_text_problems(text: str) -> tuple[Any, list[Problem]]:
    """The parsed tool (None when the text is not JSON) and its problems, with lines."""
    return _from_text(text, tool_schema_problems)


def schema_text_problems(text: str) -> tuple[Any, list[Problem]]:
    return _from_text(text, schema_problems)


def check_structured_reply(
    text: str, schema: Mapping[str, Any]
) -> tuple[bool, list[tuple[str, str]]]:
    """Whether `text` is JSON valid against `schema`; else (JSON pointer, message) pairs."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return False, [("", f"Not JSON: {json_error_message(error)}")]
    cls = validator_for(schema, default=Draft202012Validator)
    try:
        cls.check_schema(schema)
    except SchemaError as error:
        return False, [("", f"The schema itself is not valid JSON Schema: {error.message}")]
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.path])
    return not errors, [(pointer_of(error.path), error.message) for error in errors]


def pretty_arguments(arguments: str) -> str:
    """Call arguments indented for reading; text that is not JSON is shown as it came."""
    try:
        return json.dumps(json.loads(arguments), indent=2, ensure_ascii=False)
    except ValueError:
        return arguments


def tool_error_result(message: str) -> str:
    """What "return an error" sends back as the tool's result."""
    return json.dumps({"error": message}, ensure_ascii=False)


def tool_round_messages(
    *,
    calls: Sequence[ToolCallEvent],
    results: Mapping[str, str],
    text: str = "",
    extra_content: Mapping[str, Any] | None = None,
) -> tuple[Message, ...]:
    """The assistant turn that made `calls`, then one tool message per call, in call order.

    Each call keeps its own `extra_content` and the turn keeps the reply's (Gemini 2.5 signs
    the message, Gemini 3 the first call): both go back exactly as they came. `results` maps
    call ids to result text; every call needs one.
    """
    missing = [call.name for call in calls if call.call_id not in results]
    if missing:
        raise ValueError(f"No result for: {', '.join(missing)}.")
    assistant = Message(
        "assistant",
        text,
        extra_content=extra_content,
        tool_calls=tuple(call.as_tool_call() for call in calls),
    )
    answers = tuple(
        Message("tool", results[call.call_id], tool_call_id=call.call_id) for call in calls
    )
    return (assistant, *answers)
