"""Template filters of the snippet templates: each is one function of the literal printer."""

from __future__ import annotations

from typing import Any

from django import template

from playground.llm import (
    curl_form_option,
    form_fields,
    heredoc_json,
    json_text,
    literal,
    python_keyword_arguments,
    shell_quoted,
)

register = template.Library()


@register.filter
def python(value: Any, depth: int = 0) -> str:
    return literal(value, "python", depth)


@register.filter
def javascript(value: Any, depth: int = 0) -> str:
    return literal(value, "javascript", depth)


@register.filter
def python_arguments(arguments: dict[str, Any]) -> str:
    return python_keyword_arguments(arguments)


@register.filter
def shell(text: str) -> str:
    return shell_quoted(str(text))


@register.filter(name="json")
def json_filter(value: Any) -> str:
    return json_text(value)


@register.filter(name="heredoc_json")
def heredoc_json_filter(value: Any) -> str:
    return heredoc_json(value)


@register.filter
def multipart_fields(body: dict[str, Any]) -> list[tuple[str, Any]]:
    return [pair for key, value in body.items() for pair in form_fields(value, key)]


@register.filter
def curl_form(name: str, value: Any) -> str:
    return curl_form_option(name, value)
