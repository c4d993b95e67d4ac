from __future__ import annotations

from typing import Any

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from playground.chat.models import Turn
from playground.chat.rendering import render_markdown
from playground.llm.tooling import pretty_arguments

TURN_HTML_SECONDS = 24 * 3600

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


@register.filter(name="pretty_arguments")
def pretty_arguments_filter(arguments: object) -> str:
    """A call's arguments indented for reading (escaped by the template as any text)."""
    return pretty_arguments(arguments if isinstance(arguments, str) else "")


@register.filter
def call_signed(call: object) -> bool:
    """Whether a stored call carries a thought signature (shown, never editable)."""
    extra = call.get("extra_content") if isinstance(call, dict) else None
    google = extra.get("google") if isinstance(extra, dict) else None
    return isinstance(google, dict) and bool(google.get("thought_signature"))


@register.filter
def ms(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value} ms" if value < 1000 else f"{value / 1000:.2f} s"


@register.simple_tag
def render_turn(turn: Turn, is_last: bool = False) -> SafeString:
    """A turn's HTML. A finished turn never changes (only being replaced does, which is part of
    the key), so its fragment is rendered once and then served from the cache."""
    context = {"turn": turn, "is_last": is_last}
    if not turn.is_final:
        return mark_safe(render_to_string("chat/_turn.html", context))
    replaced = turn.replaced_at.timestamp() if turn.replaced_at else 0
    last = is_last or getattr(turn, "is_last_live", False)
    created = turn.created_at.timestamp()
    answered = int(bool(getattr(turn, "calls_answered", False)))
    key = f"chat:turn-html:v2:{turn.pk}:{created}:{turn.state}:{replaced}:{int(last)}:{answered}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("chat/_turn.html", context)
        cache.set(key, html, TURN_HTML_SECONDS)
    return mark_safe(html)  # rendered from our own template
