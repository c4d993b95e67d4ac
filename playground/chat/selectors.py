"""Reads for the chat pages and the consumer."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import QuerySet

from playground.chat.attachments import user_content
from playground.chat.models import Conversation, Turn, TurnState, attachments_in_order
from playground.llm.catalog import capabilities_of
from playground.llm.errors import UpstreamError
from playground.llm.models_api import list_models
from playground.llm.providers import active_provider
from playground.llm.runspec import Message, ToolCall


def conversations_of(user: AbstractBaseUser) -> QuerySet[Conversation]:
    return Conversation.objects.filter(user=user).only("pk", "title", "updated_at")


def conversation_of(user: AbstractBaseUser, conversation_id: int) -> Conversation | None:
    return Conversation.objects.filter(pk=conversation_id, user=user).first()


def turn_of(user: AbstractBaseUser, turn_id: int) -> Turn | None:
    return Turn.objects.filter(pk=turn_id, conversation__user=user).first()


def transcript(conversation: Conversation) -> list[Turn]:
    """Every turn, replaced ones included, with `is_last_live` set for the page's buttons and
    `calls_answered` on assistant turns whose tool calls the next turn answers."""
    turns = list(conversation.turns.prefetch_related(attachments_in_order()))
    live = [turn for turn in turns if turn.replaced_at is None]
    last = live[-1] if live else None
    for turn in turns:
        turn.is_last_live = turn is last and turn.role == Turn.Role.ASSISTANT
        turn.calls_answered = False
    for turn, following in pairwise(live):
        turn.calls_answered = following.role == Turn.Role.TOOL
    return turns


def live_turns(conversation: Conversation) -> list[Turn]:
    return list(
        conversation.turns.filter(replaced_at__isnull=True).prefetch_related(attachments_in_order())
    )


def calls_of(turn: Turn) -> list[dict[str, Any]]:
    """The tool calls of an assistant turn's first choice (the one a tool loop continues)."""
    calls = turn.candidates[0].get("tool_calls") if turn.candidates else None
    return calls if isinstance(calls, list) else []


def tool_calls_awaiting(*, conversation: Conversation | None, turn_id: int) -> list[dict] | None:
    """The calls of `turn_id` when they can be answered now: it is the conversation's last
    live turn, a finished reply that called tools. None otherwise."""
    if conversation is None:
        return None
    last = conversation.turns.filter(replaced_at__isnull=True).order_by("pk").last()
    if last is None or last.pk != turn_id or last.role != Turn.Role.ASSISTANT:
        return None
    if last.state != TurnState.DONE:
        return None
    return calls_of(last) or None


def history_for_run(conversation: Conversation) -> list[Message]:
    """The messages of the live turns a new run should send.

    An assistant turn that called tools goes back with its calls, each call's `extra_content`
    and the turn's own exactly as received, when the next turn answers them; then one tool
    message per result. Calls nobody answered are left out (the conversation moved on), with
    the signature that came for them, and so are assistant turns left with nothing to send:
    Gemini refuses empty content.
    """
    turns = [turn for turn in live_turns(conversation) if turn.state != TurnState.STREAMING]
    history: list[Message] = []
    for index, turn in enumerate(turns):
        following = turns[index + 1] if index + 1 < len(turns) else None
        if turn.role == Turn.Role.USER:
            content = user_content(turn.content, list(turn.attachments.all()))
            history.append(Message("user", content))
        elif turn.role == Turn.Role.ASSISTANT:
            answered = following is not None and following.role == Turn.Role.TOOL
            calls = tuple(ToolCall.from_wire(call) for call in calls_of(turn)) if answered else ()
            if not turn.content.strip() and not calls:
                continue
            extra = (turn.candidates[0].get("extra_content") if turn.candidates else None) or None
            if calls_of(turn) and not calls:
                extra = None  # a signature made for calls that are left out has nothing to sign
            history.append(
                Message("assistant", turn.content, extra_content=extra, tool_calls=calls)
            )
        elif history and history[-1].tool_calls:
            history += [
                Message("tool", result["content"], tool_call_id=result["call_id"])
                for result in turn.tool_results
            ]
    return history


DEFAULT_CHAT_MODEL = "gemini-3-flash-preview"
MODEL_LIST_FAILURE_SECONDS = 30
MODEL_CACHE_KEY = "chat:model-ids:{provider}:{base_url}"


async def chat_model_ids() -> list[str]:
    """Bare ids of the active provider's chat models, cached; [] when the list is unavailable.

    An empty list means "accept any id and let the upstream decide", so a provider whose
    model list fails can still be used.
    """
    provider = active_provider()
    key = MODEL_CACHE_KEY.format(provider=provider.name, base_url=provider.base_url)
    cached = await cache.aget(key)
    if cached is not None:
        return cached
    try:
        models = await list_models(provider)
    except UpstreamError:
        # Remembered briefly, so an unreachable provider does not slow every send.
        await cache.aset(key, [], MODEL_LIST_FAILURE_SECONDS)
        return []
    ids = []
    for model in models:
        capabilities = capabilities_of(model.bare_id)
        if "chat" in capabilities or not capabilities:
            ids.append(model.bare_id)
    await cache.aset(key, ids, settings.MODEL_LIST_CACHE_SECONDS)
    return ids


def default_model(model_ids: list[str]) -> str:
    if DEFAULT_CHAT_MODEL in model_ids or not model_ids:
        return DEFAULT_CHAT_MODEL
    return model_ids[0]
