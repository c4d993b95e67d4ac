"""Filters for rendering replies: stored HTML, figures, tool calls, and attachment URLs."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from playground.llm import call_is_signed, pretty_arguments
from playground.runs.forms import error_lines as form_error_lines
from playground.runs.markdown import render_markdown

register = template.Library()


def _stored_html(candidate: dict[str, Any], *, html_key: str, text_key: str) -> SafeString:
    """The stored, already-sanitised HTML; rendered again only for replies saved without it."""
    html = candidate.get(html_key)
    if html is None:
        html = render_markdown(candidate.get(text_key, ""))
    return mark_safe(html)  # produced by render_markdown, nh3-sanitised


@register.filter
def candidate_html(candidate: dict[str, Any]) -> SafeString:
    return _stored_html(candidate, html_key="html", text_key="answer")


@register.filter
def thoughts_html(candidate: dict[str, Any]) -> SafeString:
    return _stored_html(candidate, html_key="thoughts_html", text_key="thoughts")


@register.filter
def error_lines(form: Any) -> list[tuple[str | None, str]]:
    """A form's problems with their fields' labels in words; none for no form."""
    return form_error_lines(form) if hasattr(form, "errors") else []


@register.filter(name="pretty_arguments")
def pretty_arguments_filter(arguments: object) -> str:
    """A call's arguments indented for reading (escaped by the template as any text)."""
    return pretty_arguments(arguments if isinstance(arguments, str) else "")


@register.filter
def call_signed(call: object) -> bool:
    """Whether a stored call carries a thought signature (shown, never editable)."""
    return call_is_signed(call)


@register.filter
def ms(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value} ms" if value < 1000 else f"{value / 1000:.2f} s"


@register.simple_tag
def attachment_url(attachment: Any, share: Any = None, thumbnail: bool = False) -> str:
    """Where a page fetches an attachment: the owner's URL, or the share link's for readers
    of a shared page (which may only fetch what that share holds)."""
    kind = "thumbnail" if thumbnail else "file"
    if share:  # an unset template variable arrives as ""
        return reverse(f"sharing:{kind}", args=[share.token, attachment.pk])
    return reverse(f"media:{kind}", args=[attachment.pk])
