"""Turning a validated composer into a stored turn pair and the RunSpec that will be sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from playground.chat.models import Conversation, Turn, TurnState
from playground.chat.selectors import conversation_of, history_for_run
from playground.chat.services import (
    conversation_for_send,
    turn_assistant_start,
    turn_user_append,
    turns_replace_from,
)
from playground.llm.catalog import capabilities_of, family_of
from playground.llm.providers import active_provider
from playground.llm.runspec import Message, RunSpec


class RunRefused(Exception):
    """A request that cannot start a run; the message is shown to the user."""


@dataclass(frozen=True)
class PreparedRun:
    conversation: Conversation
    user_turn: Turn | None
    assistant_turn: Turn
    spec: RunSpec
    created_conversation: bool


def spec_from(settings: dict[str, Any], history: list[tuple[str, str, dict | None]]) -> RunSpec:
    messages = []
    if settings.get("system_prompt", "").strip():
        messages.append(Message(role="system", content=settings["system_prompt"]))
    messages += [
        Message(role=role, content=text, extra_content=extra) for role, text, extra in history
    ]
    model = settings["model"]
    # Only ask for thought summaries where the model thinks (or where we cannot know).
    thinks = "thinking" in capabilities_of(model) or family_of(model) is None
    return RunSpec(
        provider=active_provider().name,
        model=model,
        messages=tuple(messages),
        stream=settings.get("stream", True),
        temperature=settings.get("temperature"),
        top_p=settings.get("top_p"),
        max_tokens=settings.get("max_tokens"),
        stop=tuple(settings.get("stop") or ()),
        seed=settings.get("seed"),
        n=settings.get("n") or 1,
        include_thoughts=bool(settings.get("include_thoughts")) and thinks,
    )


def _start(
    conversation: Conversation, settings: dict[str, Any], user_turn: Turn | None, created: bool
) -> PreparedRun:
    spec = spec_from(settings, history_for_run(conversation))
    assistant = turn_assistant_start(conversation=conversation, run_spec=spec.to_dict(), n=spec.n)
    return PreparedRun(conversation, user_turn, assistant, spec, created)


def _busy_check(conversation: Conversation) -> None:
    if conversation.turns.filter(state=TurnState.STREAMING, replaced_at__isnull=True).exists():
        raise RunRefused("A reply is still being generated in this conversation. Stop it first.")


@transaction.atomic
def run_prepare_send(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: dict[str, Any]
) -> PreparedRun:
    conversation_id = cleaned.get("conversation")
    if conversation_id is not None and conversation_of(user, conversation_id) is None:
        raise RunRefused("That conversation does not exist (it may have been deleted).")
    conversation = conversation_for_send(
        user=user, conversation_id=conversation_id, prompt=cleaned["prompt"], settings=settings
    )
    _busy_check(conversation)
    user_turn = turn_user_append(conversation=conversation, prompt=cleaned["prompt"])
    return _start(conversation, settings, user_turn, created=conversation_id is None)


@transaction.atomic
def run_prepare_regenerate(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: dict[str, Any]
) -> PreparedRun:
    conversation = conversation_of(user, cleaned["conversation"])
    if conversation is None:
        raise RunRefused("That conversation does not exist (it may have been deleted).")
    _busy_check(conversation)
    live = conversation.turns.filter(replaced_at__isnull=True)
    last = live.last()
    if last is None:
        raise RunRefused("There is nothing to regenerate yet.")
    if last.role == Turn.Role.ASSISTANT:
        # The old reply stays, marked as replaced, so nothing is lost.
        turns_replace_from(conversation=conversation, first_turn_id=last.pk)
    conversation.settings = settings
    conversation.save(update_fields=["settings", "updated_at"])
    return _start(conversation, settings, None, created=False)


@transaction.atomic
def run_prepare_edit(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: dict[str, Any]
) -> PreparedRun:
    conversation = conversation_of(user, cleaned["conversation"])
    if conversation is None:
        raise RunRefused("That conversation does not exist (it may have been deleted).")
    _busy_check(conversation)
    turn = conversation.turns.filter(
        pk=cleaned["turn"], role=Turn.Role.USER, replaced_at__isnull=True
    ).first()
    if turn is None:
        raise RunRefused("That message can no longer be edited (it was replaced or removed).")
    turns_replace_from(conversation=conversation, first_turn_id=turn.pk)
    conversation.settings = settings
    conversation.save(update_fields=["settings", "updated_at"])
    user_turn = turn_user_append(conversation=conversation, prompt=cleaned["prompt"])
    return _start(conversation, settings, user_turn, created=False)
