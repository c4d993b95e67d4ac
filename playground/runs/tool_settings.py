"""Function tools, `tool_choice` and the response format as composer settings.

The page edits each tool as its own JSON text; the form keeps the wire-shaped dicts (what is
stored with the conversation). Problems are reported with the line and column a person typed
and the JSON pointer of the place, the same report serving the live check and the form.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms

from playground.llm import (
    DEFAULT_SCHEMA_NAME,
    SCHEMA_NAME,
    FunctionChoice,
    FunctionTool,
    Problem,
    ResponseFormat,
    schema_text_problems,
    tool_text_problems,
)

MAX_TOOLS = 32
MAX_TOOL_CHARS = 20_000
MAX_SCHEMA_CHARS = 40_000
TOOL_CHOICE_WORDS = {
    "auto": "auto: the model decides",
    "none": "none: answer without calling",
    "required": "required: call at least one",
}
FUNCTION_PREFIX = "function:"
RESPONSE_FORMATS = tuple((kind, kind) for kind in ("text", "json_object", "json_schema"))


def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def problem_text(problem: Problem, what: str) -> str:
    """`Tool 2, line 5, column 7, at /function/name: message` (parse errors carry their own)."""
    where = [what]
    if problem.line is not None and not problem.message.startswith("Line "):
        where.append(f"line {problem.line}, column {problem.column}")
    if problem.pointer:
        where.append(f"at {problem.pointer}")
    return f"{', '.join(where)}: {problem.message}"


@dataclass(frozen=True)
class ToolEntry:
    """One tool text as checked: its place in the list, its name, what is wrong with it."""

    number: int  # from 1, as the page counts them
    name: str
    problems: tuple[Problem, ...]
    wire: dict[str, Any] | None  # the tool as sent; None while it has errors

    @property
    def label(self) -> str:
        return f"Tool {self.number}" + (f" ({self.name})" if self.name else "")

    @property
    def errors(self) -> list[str]:
        return [problem_text(p, self.label) for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[str]:
        return [problem_text(p, self.label) for p in self.problems if not p.is_error]


@dataclass(frozen=True)
class ToolsReport:
    entries: tuple[ToolEntry, ...] = ()
    # Problems of the list as a whole: too many tools, two with one name.
    list_errors: tuple[str, ...] = ()

    @property
    def errors(self) -> list[str]:
        return [*self.list_errors, *(e for entry in self.entries for e in entry.errors)]

    @property
    def warnings(self) -> list[str]:
        return [w for entry in self.entries for w in entry.warnings]

    @property
    def tools(self) -> list[dict[str, Any]]:
        return [entry.wire for entry in self.entries if entry.wire is not None]

    @property
    def names(self) -> list[str]:
        """Names of the tools that can be sent, for tool_choice."""
        return [entry.name for entry in self.entries if entry.wire is not None]


def _name_of(value: Any) -> str:
    if not isinstance(value, Mapping):
        return ""
    function = value.get("function", value)
    name = function.get("name") if isinstance(function, Mapping) else None
    return name if isinstance(name, str) else ""


def _entry(number: int, text: str) -> ToolEntry:
    if len(text) > MAX_TOOL_CHARS:
        too_long = Problem("error", f"At most {MAX_TOOL_CHARS:,} characters per tool.")
        return ToolEntry(number, "", (too_long,), None)
    value, problems = tool_text_problems(text)
    wire = None
    if not any(problem.is_error for problem in problems):
        wire = FunctionTool.from_wire(value).to_wire()
    return ToolEntry(number, _name_of(value), tuple(problems), wire)


def tools_report(texts: Iterable[str]) -> ToolsReport:
    """Every non-blank tool text checked; blank editors are simply not tools yet."""
    filled = [text for text in texts if text.strip()]
    entries = tuple(_entry(number, text) for number, text in enumerate(filled, start=1))
    list_errors = []
    if len(entries) > MAX_TOOLS:
        list_errors.append(f"At most {MAX_TOOLS} tools.")
    seen: set[str] = set()
    for entry in entries:
        if entry.name and entry.name in seen:
            list_errors.append(f"Two tools are named {entry.name}: give each its own name.")
        seen.add(entry.name)
    return ToolsReport(entries, tuple(dict.fromkeys(list_errors)))


def tool_texts(value: object) -> list[str]:
    """What the editors show: stored tools pretty-printed, typed text as it was typed."""
    if value in (None, ""):
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [item if isinstance(item, str) else pretty_json(item) for item in items]


class ToolTextareas(forms.Widget):
    """Several textareas of one name (the socket sends a list, or a string for just one)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


class ToolListField(forms.Field):
    """Tool texts in, wire-shaped tool dicts out; every error names the tool, line and place."""

    widget = ToolTextareas

    def to_python(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in items):
            raise forms.ValidationError("Each tool must be given as JSON text.")
        return items

    def validate(self, value: list[str]) -> None:
        return None  # no tools is fine

    def clean(self, value: Any) -> list[dict[str, Any]]:
        report = tools_report(self.to_python(value))
        if report.errors:
            raise forms.ValidationError(report.errors)
        return report.tools


def tool_choice_problem(choice: str, names: Sequence[str]) -> str | None:
    if choice in TOOL_CHOICE_WORDS:
        return None
    name = choice.removeprefix(FUNCTION_PREFIX)
    if not choice.startswith(FUNCTION_PREFIX) or not name:
        return f"tool_choice must be auto, none, required or one of the tools, not {choice!r}."
    if name not in names:
        return f"tool_choice names {name}, which is not among the tools defined."
    return None


def tool_choice_value(choice: str | None) -> str | FunctionChoice:
    """The stored setting ("auto", "function:get_weather") as a RunSpec value."""
    if not choice or choice in TOOL_CHOICE_WORDS:
        return choice or "auto"
    return FunctionChoice(choice.removeprefix(FUNCTION_PREFIX))


def tool_choice_setting(choice: object) -> str:
    if isinstance(choice, FunctionChoice):
        return FUNCTION_PREFIX + choice.name
    return choice if isinstance(choice, str) and choice in TOOL_CHOICE_WORDS else "auto"


@dataclass(frozen=True)
class ToolChoiceOption:
    value: str
    label: str
    selected: bool


def tool_choice_options(choice: str, names: Sequence[str]) -> list[ToolChoiceOption]:
    """auto / none / required, one option per defined function, and a chosen function that
    is no longer defined (kept, so the page shows why sending is refused)."""
    choice = choice or "auto"
    options = [ToolChoiceOption(v, label, v == choice) for v, label in TOOL_CHOICE_WORDS.items()]
    for name in dict.fromkeys(names):
        value = FUNCTION_PREFIX + name
        options.append(ToolChoiceOption(value, f"{name}: must call it", value == choice))
    if not any(option.selected for option in options):
        missing = choice.removeprefix(FUNCTION_PREFIX)
        options.append(ToolChoiceOption(choice, f"{missing} (not among the tools)", True))
    return options


@dataclass(frozen=True)
class SchemaReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked: bool = False  # False when there was nothing to check


def schema_report(text: str, name: str = "") -> SchemaReport:
    if not text.strip():
        return SchemaReport()
    if len(text) > MAX_SCHEMA_CHARS:
        return SchemaReport([f"At most {MAX_SCHEMA_CHARS:,} characters of schema."], [], True)
    _, problems = schema_text_problems(text)
    errors = [problem_text(p, "Schema") for p in problems if p.is_error]
    warnings = [problem_text(p, "Schema") for p in problems if not p.is_error]
    if name and not SCHEMA_NAME.fullmatch(name):
        errors.append("The schema name must be 1 to 64 letters, digits, underscores or dashes.")
    return SchemaReport(errors, warnings, True)


def response_format_value(settings: Mapping[str, Any]) -> ResponseFormat | None:
    """The stored settings' response format as a RunSpec value (None: plain text)."""
    kind = settings.get("response_format") or "text"
    if kind == "json_object":
        return ResponseFormat("json_object")
    if kind != "json_schema":
        return None
    return ResponseFormat(
        "json_schema",
        schema_json=settings.get("response_schema") or "",
        name=settings.get("response_schema_name") or DEFAULT_SCHEMA_NAME,
    )


def response_format_settings(response_format: ResponseFormat | None) -> dict[str, str]:
    if response_format is None:
        return {"response_format": "text", "response_schema": "", "response_schema_name": ""}
    schema = response_format.schema
    return {
        "response_format": response_format.type,
        "response_schema": pretty_json(schema) if schema is not None else "",
        "response_schema_name": response_format.name
        if response_format.type == "json_schema"
        else "",
    }
