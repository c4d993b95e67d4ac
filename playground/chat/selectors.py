"""Reads for the chat pages and the consumer."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import QuerySet

from playground.chat.attachments import user_content
from playground.chat.models import Conversation, Turn, TurnState, attachments_in_order
from playground.llm.catalog import capabilities_of
from playground.llm.content_parts import Content
from playground.llm.errors import UpstreamError
from playground.llm.models_api import list_models
from playground.llm.providers import active_provider


def conversations_of(user: AbstractBaseUser) -> QuerySet[Conversation]:
    return Conversation.objects.filter(user=user).only("pk", "title", "updated_at")


def conversation_of(user: AbstractBaseUser, conversation_id: int) -> Conversation | None:
    return Conversation.objects.filter(pk=conversation_id, user=user).first()


def turn_of(user: AbstractBaseUser, turn_id: int) -> Turn | None:
    return Turn.objects.filter(pk=turn_id, conversation__user=user).first()


def transcript(conversation: Conversation) -> list[Turn]:
    """Every turn, replaced ones included, with `is_last_live` set for the page's buttons."""
    turns = list(conversation.turns.prefetch_related(attachments_in_order()))
    live = [turn for turn in turns if turn.replaced_at is None]
    last = live[-1] if live else None
    for turn in turns:
        turn.is_last_live = turn is last and turn.role == Turn.Role.ASSISTANT
    return turns


def live_turns(conversation: Conversation) -> list[Turn]:
    return list(
        conversation.turns.filter(replaced_at__isnull=True).prefetch_related(attachments_in_order())
    )


def history_for_run(conversation: Conversation) -> list[tuple[str, Content, dict | None]]:
    """(role, content, extra_content) of the live turns a new run should send.

    Assistant turns without text (failed before anything arrived) are left out: Gemini
    refuses empty content.
    """
    history: list[tuple[str, Content, dict | None]] = []
    for turn in live_turns(conversation):
        if turn.state == TurnState.STREAMING:
            continue
        if turn.role == Turn.Role.ASSISTANT:
            if not turn.content.strip():
                continue
            extra = (turn.candidates[0].get("extra_content") if turn.candidates else None) or None
            history.append(("assistant", turn.content, extra))
        else:
            history.append(("user", user_content(turn.content, list(turn.attachments.all())), None))
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
