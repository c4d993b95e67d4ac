from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from playground.chat.models import Conversation, Turn
from playground.chat.selectors import SidebarPage, TurnOutline
from playground.chat.turn_html import TURN_HTML_SECONDS, markup_version, turn_html_key
from playground.runs.states import ReplyState

SIDEBAR_HTML_SECONDS = 3600

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


@dataclass(frozen=True)
class ConversationUrls:
    page: str
    rename: str
    delete: str


@register.simple_tag
def conversation_urls(conversation: Conversation) -> ConversationUrls:
    """A conversation's addresses for its sidebar entry, from one reverse() (chat/urls.py
    nests rename and delete under the page's): the list draws dozens of entries."""
    page = reverse("chat:conversation", args=[conversation.pk])
    return ConversationUrls(page=page, rename=f"{page}rename/", delete=f"{page}delete/")


@register.simple_tag
def render_sidebar_page(sidebar: SidebarPage, current_id: int | None = None) -> SafeString:
    """A page of the conversation list's entries, with its More link. Kept in the cache under
    a key made of everything it shows (ids, titles, which one is open, where the next page
    starts), so a rename, a move or a new conversation is simply another key (and another
    release, `markup_version`)."""
    shown = ([(item.pk, item.title) for item in sidebar.conversations], current_id)
    digest = hashlib.sha256(repr((shown, sidebar.next_query)).encode()).hexdigest()
    key = f"chat:sidebar-html:{markup_version()}:{digest}"
    html = cache.get(key)
    if html is None:
        context = {"sidebar": sidebar, "current_id": current_id}
        html = render_to_string("chat/page.html#sidebar-page", context)
        cache.set(key, html, SIDEBAR_HTML_SECONDS)
    return mark_safe(html)  # rendered from our own template


@register.simple_tag
def render_turn(turn: Turn | TurnOutline, is_last: bool = False, share: Any = None) -> SafeString:
    """A turn's HTML: a finished turn's from the cache (`transcript` may have read it already,
    for the whole page in one go), rendered and kept there the first time."""
    share = share or None
    context = {"turn": turn, "is_last": is_last, "share": share}
    key = turn_html_key(turn, is_last=is_last, share=share)
    if key is None:
        # Still streaming when the page was drawn: its run belongs to another request or tab,
        # so the turn offers its own Stop (the composer's stops only this page's run).
        context["running_elsewhere"] = turn.role == "assistant"
        return mark_safe(render_to_string("chat/_turn.html", context))
    read_key, html = getattr(turn, "cached_html", (None, None))
    if read_key != key:
        html = cache.get(key)
    if html is None:
        html = render_to_string("chat/_turn.html", context)
        cache.set(key, html, TURN_HTML_SECONDS)
    return mark_safe(html)  # rendered from our own template
