from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from playground.chat.models import Turn
from playground.runs.states import ReplyState

TURN_HTML_SECONDS = 24 * 3600

register = template.Library()


@dataclass(frozen=True)
class TurnActions:
    """What a person may do with a turn where it is shown."""

    edit: bool  # a user turn, on the owner's page
    regenerate: bool  # only the last reply of the shown branch
    answering: bool  # its calls take results here (the last reply, done, with calls)
    unanswered_note: bool  # its calls were passed by: later requests leave them out


@register.simple_tag
def turn_actions(turn: Turn, is_last: bool = False, share: Any = None) -> TurnActions:
    owner = not share  # an unset template variable arrives as ""
    last = is_last or getattr(turn, "is_last_live", False)
    done = turn.state == ReplyState.DONE
    answered = bool(getattr(turn, "calls_answered", False))
    return TurnActions(
        edit=owner and turn.role == Turn.Role.USER,
        regenerate=owner and last,
        answering=owner and done and last,
        unanswered_note=owner and done and not last and not answered,
    )


@register.simple_tag
def render_turn(turn: Turn, is_last: bool = False, share: Any = None) -> SafeString:
    """A turn's HTML. A finished turn never changes (only its place among its versions and
    being last do, which are part of the key), so it is rendered once, then served from the
    cache. Nothing per-request (no CSRF token) may go into it."""
    share = share or None
    context = {"turn": turn, "is_last": is_last, "share": share}
    if not turn.is_final:
        # Still streaming when the page was drawn: its run belongs to another request or tab,
        # so the turn offers its own Stop (the composer's stops only this page's run).
        context["running_elsewhere"] = turn.role == "assistant"
        return mark_safe(render_to_string("chat/_turn.html", context))
    place = getattr(turn, "branch", None)
    branch = f"{place.number}/{place.count}" if place else "-"
    last = is_last or getattr(turn, "is_last_live", False)
    created = turn.created_at.timestamp()
    answered = int(bool(getattr(turn, "calls_answered", False)))
    reader = share.token if share is not None else "owner"
    key = (
        f"chat:turn-html:v4:{turn.pk}:{created}:{turn.state}:{branch}:{int(last)}:{answered}:"
        f"{reader}"
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string("chat/_turn.html", context)
        cache.set(key, html, TURN_HTML_SECONDS)
    return mark_safe(html)  # rendered from our own template
