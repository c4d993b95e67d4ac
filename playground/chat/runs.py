"""Turning a validated composer into a stored turn pair and the RunSpec that will be sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import prefetch_related_objects

from playground.chat.forms import STALE_CALLS
from playground.chat.models import Conversation, Turn, TurnState, attachments_in_order
from playground.chat.selectors import conversation_of, history_for_run, tool_calls_awaiting
from playground.chat.services import (
    conversation_for_send,
    turn_assistant_start,
    turn_tool_results_append,
    turn_user_append,
    turns_replace_from,
)
from playground.chat.tool_settings import (
    response_format_settings,
    response_format_value,
    tool_choice_setting,
    tool_choice_value,
)
from playground.limits.admission import StreamRefused, streams_admit
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


def spec_from(settings: dict[str, Any], history: Sequence[Message]) -> RunSpec:
    messages = []
    if settings.get("system_prompt", "").strip():
        messages.append(Message(role="system", content=settings["system_prompt"]))
    messages += history
    model = settings["model"]
    tools = tuple(settings.get("tools") or ())
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
        reasoning_effort=settings.get("reasoning_effort") or None,
        thinking_level=settings.get("thinking_level") or None,
        thinking_budget=settings.get("thinking_budget"),
        include_thoughts=bool(settings.get("include_thoughts")) and thinks,
        service_tier=settings.get("service_tier") or None,
        include_usage=settings.get("include_usage", True),
        cached_content=settings.get("cached_content") or None,
        extra_body_json=settings.get("extra_body") or "",
        tools=tools,  # type: ignore[arg-type]  # wire dicts, read into FunctionTool values
        # tool_choice means nothing without tools, so it is only sent with them.
        tool_choice=tool_choice_value(settings.get("tool_choice")) if tools else None,
        response_format=response_format_value(settings),
    )


def settings_from_run_spec(data: dict[str, Any]) -> dict[str, Any]:
    """The composer settings that reproduce a stored RunSpec ("Open in playground")."""
    spec = RunSpec.from_dict(data)
    system = next((m.text for m in spec.messages if m.role == "system"), "")
    return {
        "model": spec.model,
        "system_prompt": system,
        "temperature": spec.temperature,
        "top_p": spec.top_p,
        "max_tokens": spec.max_tokens,
        "stop": list(spec.stop),
        "seed": spec.seed,
        "n": spec.n,
        "stream": spec.stream,
        "reasoning_effort": spec.reasoning_effort or "",
        "thinking_level": spec.thinking_level or "",
        "thinking_budget": spec.thinking_budget,
        "include_thoughts": spec.include_thoughts,
        "service_tier": spec.service_tier or "",
        "include_usage": spec.include_usage,
        "cached_content": spec.cached_content or "",
        "extra_body": spec.extra_body_json,
        "tools": [tool.to_wire() for tool in spec.tools],
        "tool_choice": tool_choice_setting(spec.tool_choice),
        **response_format_settings(spec.response_format),
    }


def _start(
    conversation: Conversation, settings: dict[str, Any], user_turn: Turn | None, created: bool
) -> PreparedRun:
    spec = spec_from(settings, history_for_run(conversation))
    assistant = turn_assistant_start(conversation=conversation, run_spec=spec.to_dict(), n=spec.n)
    try:  # per-person limits; a refusal rolls back everything this run stored
        streams_admit(user_id=conversation.user_id, kind="turn", ids=[assistant.pk],
                      max_tokens=spec.max_tokens)  # fmt: skip
    except StreamRefused as exc:
        raise RunRefused(str(exc)) from None
    # The socket renders these turns on the event loop, where no query may run: load now.
    prefetch_related_objects([t for t in (user_turn, assistant) if t], attachments_in_order())
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
    user_turn = turn_user_append(
        conversation=conversation,
        prompt=cleaned["prompt"],
        attachments=cleaned.get("attachments") or [],
    )
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
    # The edited message keeps the pictures and recordings the original had.
    user_turn = turn_user_append(
        conversation=conversation,
        prompt=cleaned["prompt"],
        attachments=list(turn.attachments.all()),
    )
    return _start(conversation, settings, user_turn, created=False)


@transaction.atomic
def run_prepare_tool_results(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: dict[str, Any]
) -> PreparedRun:
    """Store what the tools returned, then run the next step of the tool loop."""
    conversation = conversation_of(user, cleaned["conversation"])
    if conversation is None:
        raise RunRefused("That conversation does not exist (it may have been deleted).")
    # Locked: two tabs answering the same calls must not both go on.
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _busy_check(conversation)
    calls = tool_calls_awaiting(conversation=conversation, turn_id=cleaned["turn"]) or []
    results = cleaned["tool_results"]
    if [call["id"] for call in calls] != [result["call_id"] for result in results]:
        raise RunRefused(STALE_CALLS)
    turn_tool_results_append(conversation=conversation, results=results)
    conversation.settings = settings
    conversation.save(update_fields=["settings", "updated_at"])
    return _start(conversation, settings, None, created=False)
