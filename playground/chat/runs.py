"""Turning a validated composer into a stored turn pair and the RunSpec that will be sent."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import prefetch_related_objects

from playground.chat.forms import STALE_CALLS, STALE_REPLY
from playground.chat.models import Conversation, Turn, attachments_in_order
from playground.chat.selectors import (
    conversation_of,
    history_for_run,
    last_shown_turn,
    shown_branch,
    shown_branch_streaming,
    tool_calls_awaiting,
)
from playground.chat.services import (
    After,
    Parent,
    conversation_for_send,
    turn_assistant_start,
    turn_tool_results_append,
    turn_user_append,
)
from playground.limits.admission import StreamRefused, streams_admit
from playground.llm import RunSpec
from playground.runs.settings import RunSettings


class RunRefused(Exception):
    """A request that cannot start a run; the message is shown to the user."""


@dataclass(frozen=True)
class PreparedRun:
    conversation: Conversation
    user_turn: Turn | None
    assistant_turn: Turn
    spec: RunSpec
    created_conversation: bool
    # The reply that was last before this run: shown again without Regenerate or Continue.
    previous_reply: Turn | None = None
    # The person's first conversation: the page's "No conversations yet." goes.
    first_conversation: bool = False


def _start(
    conversation: Conversation,
    settings: RunSettings,
    user_turn: Turn | None,
    created: bool,
    parent: Parent = After.SHOWN_BRANCH,
) -> PreparedRun:
    spec = settings.to_spec(history_for_run(conversation))
    assistant = turn_assistant_start(
        conversation=conversation, run_spec=spec.to_dict(), n=spec.n, parent=parent
    )
    try:  # per-person limits; a refusal rolls back everything this run stored
        streams_admit(user_id=conversation.user_id, kind="turn", ids=[assistant.pk],
                      max_tokens=spec.max_tokens)  # fmt: skip
    except StreamRefused as exc:
        raise RunRefused(str(exc)) from None
    # The socket renders these turns on the event loop, where no query may run: load now.
    prefetch_related_objects([t for t in (user_turn, assistant) if t], attachments_in_order())
    return PreparedRun(conversation, user_turn, assistant, spec, created)


def _busy_check(conversation: Conversation) -> None:
    if shown_branch_streaming(conversation):
        raise RunRefused("A reply is still being generated in this conversation. Stop it first.")


@transaction.atomic
def run_prepare_send(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: RunSettings
) -> PreparedRun:
    conversation_id = cleaned.get("conversation")
    if conversation_id is not None and conversation_of(user, conversation_id) is None:
        raise RunRefused("That conversation does not exist (it may have been deleted).")
    conversation = conversation_for_send(
        user=user,
        conversation_id=conversation_id,
        prompt=cleaned["prompt"],
        settings=settings.to_dict(),
    )
    previous = None
    if conversation_id is not None:  # a new conversation has no turns to look at
        _busy_check(conversation)
        previous = last_shown_turn(conversation)
    user_turn = turn_user_append(
        conversation=conversation,
        parent=previous,
        prompt=cleaned["prompt"],
        attachments=cleaned.get("attachments") or [],
    )
    prepared = _start(
        conversation, settings, user_turn, created=conversation_id is None, parent=user_turn
    )
    if prepared.created_conversation:
        others = Conversation.objects.filter(user=user).exclude(pk=conversation.pk)
        prepared = replace(prepared, first_conversation=not others.exists())
    if previous is not None and previous.role == Turn.Role.ASSISTANT:
        prefetch_related_objects([previous], attachments_in_order())
        prepared = replace(prepared, previous_reply=previous)
    return prepared


@transaction.atomic
def run_prepare_regenerate(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: RunSettings
) -> PreparedRun:
    conversation = conversation_of(user, cleaned["conversation"])
    if conversation is None:
        raise RunRefused("That conversation does not exist (it may have been deleted).")
    _busy_check(conversation)
    last = last_shown_turn(conversation)
    if last is None or last.pk != cleaned["turn"] or last.role != Turn.Role.ASSISTANT:
        # Only the last reply can be regenerated: never one the person did not click.
        raise RunRefused(STALE_REPLY)
    conversation.settings = settings.to_dict()
    conversation.save(update_fields=["settings", "updated_at"])
    # The new reply is a sibling of the old one, which stays a click away ("1 / 2").
    return _start(conversation, settings, None, created=False, parent=last.parent)


@transaction.atomic
def run_prepare_edit(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: RunSettings
) -> PreparedRun:
    conversation = conversation_of(user, cleaned["conversation"])
    if conversation is None:
        raise RunRefused("That conversation does not exist (it may have been deleted).")
    _busy_check(conversation)
    shown = [pk for pk, _ in shown_branch(conversation)]
    turn = conversation.turns.filter(pk=cleaned["turn"], role=Turn.Role.USER).first()
    if turn is None or turn.pk not in shown:
        raise RunRefused("That message can no longer be edited (it is not on the branch shown).")
    conversation.settings = settings.to_dict()
    conversation.save(update_fields=["settings", "updated_at"])
    # A new version beside the original (whose branch stays, "1 / 2"), keeping the pictures
    # and recordings the original had.
    user_turn = turn_user_append(
        conversation=conversation,
        parent=turn.parent,
        prompt=cleaned["prompt"],
        attachments=list(turn.attachments.all()),
    )
    return _start(conversation, settings, user_turn, created=False, parent=user_turn)


@transaction.atomic
def run_prepare_tool_results(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: RunSettings
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
    conversation.settings = settings.to_dict()
    conversation.save(update_fields=["settings", "updated_at"])
    return _start(conversation, settings, None, created=False)
