from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from playground.chat.rendering import render_markdown

register = template.Library()


@register.filter
def candidate_html(candidate: dict[str, Any]) -> SafeString:
    """The stored, already-sanitised HTML; rendered again only for turns saved without it."""
    html = candidate.get("html")
    if html is None:
        html = render_markdown(candidate.get("answer", ""))
    return mark_safe(html)


@register.filter
def thoughts_html(candidate: dict[str, Any]) -> SafeString:
    html = candidate.get("thoughts_html")
    if html is None:
        html = render_markdown(candidate.get("thoughts", ""))
    return mark_safe(html)  # produced by render_markdown, nh3-sanitised


@register.filter
def ms(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value} ms" if value < 1000 else f"{value / 1000:.2f} s"
