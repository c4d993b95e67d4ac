"""The settings panel's tools editor and structured-output editor: live checks and examples."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from playground.llm import Example, schema_examples, tool_examples
from playground.runs.tool_settings import (
    RESPONSE_FORMATS,
    SchemaReport,
    ToolsReport,
    schema_report,
    tool_choice_options,
    tool_texts,
    tools_report,
)

TEMPLATE = "runs/_tools_settings.html"
MAX_CHECKED_CHARS = 200_000  # a live check of more than this is refused, not parsed
# The forms a tools editor may belong to: chat's composer, the compare page's prompt form.
TOOLS_FORMS = ("composer", "compare-form")


def _tools_form(value: object) -> str:
    return value if isinstance(value, str) and value in TOOLS_FORMS else TOOLS_FORMS[0]


@dataclass(frozen=True)
class ToolEditor:
    key: str  # makes element ids unique on the page
    text: str
    name: str = ""
    prompt: str = ""  # an example's prompt, offered for the composer


@dataclass(frozen=True)
class StructuredControls:
    response_format: str
    schema: str
    name: str
    report: SchemaReport
    prompt: str = ""
    formats: tuple[tuple[str, str], ...] = RESPONSE_FORMATS


def _name_in(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        return ""
    function = value.get("function", value) if isinstance(value, dict) else None
    name = function.get("name") if isinstance(function, dict) else None
    return name if isinstance(name, str) else ""


def _editor(text: str, prompt: str = "") -> ToolEditor:
    return ToolEditor(uuid4().hex[:10], text, _name_in(text), prompt)


def _choice_context(report: ToolsReport, choice: str) -> dict[str, Any]:
    # Options follow every named tool, even one still being fixed, so they do not flicker.
    names = [entry.name for entry in report.entries if entry.name]
    return {"tool_choice_options": tool_choice_options(choice, names)}


def _example(examples: tuple[Example, ...], key: str) -> Example:
    found = next((example for example in examples if example.key == key), None)
    if found is None:
        raise Http404("No such example.")
    return found


def tool_panel_context(
    *, tools: object, tool_choice: str, response_format: str, schema: str, schema_name: str
) -> dict[str, Any]:
    """What the settings panel needs to show the tools and the structured output as set."""
    texts = tool_texts(tools)
    report = tools_report(texts)
    return {
        "tool_editors": [_editor(text) for text in texts],
        "report": report,
        **_choice_context(report, tool_choice),
        "tool_examples": tool_examples(),
        "schema_examples": schema_examples(),
        "tools_open": bool(texts),
        "structured": StructuredControls(
            response_format or "text", schema, schema_name, schema_report(schema, schema_name)
        ),
        "structured_open": response_format not in ("", "text"),
    }


def _too_long(*texts: str) -> bool:
    return sum(len(text) for text in texts) > MAX_CHECKED_CHARS


@require_POST
def tools_check(request: HttpRequest) -> HttpResponse:
    """The problems of every tool as typed, and tool_choice options that follow their names."""
    texts = [text for text in request.POST.getlist("tools") if isinstance(text, str)]
    if _too_long(*texts):
        report = ToolsReport(list_errors=("Too much to check: shorten the tools.",))
    else:
        report = tools_report(texts)
    choice = request.POST.get("tool_choice", "auto")[:80]
    context = {"report": report, **_choice_context(report, choice),
               "tools_form": _tools_form(request.POST.get("tools_form"))}  # fmt: skip
    return render(request, TEMPLATE + "#tool_check", context)


@require_GET
def tool_editor(request: HttpRequest) -> HttpResponse:
    """A new editor for the tools list: blank, or holding a ready example."""
    key = request.GET.get("example", "")
    editor = _editor("")
    if key:
        example = _example(tool_examples(), key)
        editor = _editor(example.pretty, example.prompt)
    context = {"editor": editor, "tools_form": _tools_form(request.GET.get("tools_form"))}
    response = render(request, TEMPLATE + "#tool_editor", context)
    return trigger_client_event(response, "tools-changed", after="settle")


@require_POST
def schema_check(request: HttpRequest) -> HttpResponse:
    schema = request.POST.get("response_schema", "")
    name = request.POST.get("response_schema_name", "")[:200]
    if _too_long(schema):
        report = SchemaReport(["Too much to check: shorten the schema."], [], True)
    else:
        report = schema_report(schema, name)
    return render(request, TEMPLATE + "#schema_problems", {"structured": {"report": report}})


@require_GET
def schema_example(request: HttpRequest) -> HttpResponse:
    """The structured-output fields holding a ready schema (response_format json_schema)."""
    example = _example(schema_examples(), request.GET.get("example", ""))
    structured = StructuredControls(
        "json_schema",
        example.pretty,
        example.name,
        schema_report(example.pretty, example.name),
        example.prompt,
    )
    return render(request, TEMPLATE + "#structured_fields", {"structured": structured})
