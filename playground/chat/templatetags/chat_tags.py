from __future__ import annotations

from typing import Any

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from playground.chat.models import Turn
from playground.chat.rendering import render_markdown

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
    key = f"chat:turn-html:v1:{turn.pk}:{created}:{turn.state}:{replaced}:{int(last)}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("chat/_turn.html", context)
        cache.set(key, html, TURN_HTML_SECONDS)
    return mark_safe(html)  # rendered from our own template
