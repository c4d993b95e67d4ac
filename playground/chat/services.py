"""Writes for conversations and turns. Plain functions; the consumer calls them off the loop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, prefetch_related_objects
from django.utils import timezone

from playground.chat.models import (
    Conversation,
    Turn,
    TurnAttachment,
    TurnState,
    attachments_in_order,
)
from playground.chat.rendering import render_markdown
from playground.chat.structured import structured_reply
from playground.media.models import Attachment

TITLE_CHARS = 60


def title_from_prompt(prompt: str) -> str:
    words = " ".join(prompt.split())
    return words if len(words) <= TITLE_CHARS else words[: TITLE_CHARS - 1].rstrip() + "…"


def conversation_for_send(
    *, user: AbstractBaseUser, conversation_id: int | None, prompt: str, settings: dict[str, Any]
) -> Conversation:
    """The user's conversation (a new one, titled from the prompt, when no id is given)."""
    if conversation_id is None:
        return Conversation.objects.create(
            user=user, title=title_from_prompt(prompt), settings=settings
        )
    conversation = Conversation.objects.get(pk=conversation_id, user=user)
    conversation.settings = settings
    conversation.save(update_fields=["settings", "updated_at"])
    return conversation


def turn_user_append(
    *, conversation: Conversation, prompt: str, attachments: Sequence[Attachment] = ()
) -> Turn:
    turn = Turn.objects.create(conversation=conversation, role=Turn.Role.USER, content=prompt)
    TurnAttachment.objects.bulk_create(
        TurnAttachment(turn=turn, attachment=attachment, position=position)
        for position, attachment in enumerate(attachments)
    )
    return turn


def turn_assistant_start(*, conversation: Conversation, run_spec: dict[str, Any], n: int) -> Turn:
    return Turn.objects.create(
        conversation=conversation,
        role=Turn.Role.ASSISTANT,
        state=TurnState.STREAMING,
        run_spec=run_spec,
        candidates=[{"answer": "", "thoughts": ""} for _ in range(n)],
    )


@dataclass
class TurnOutcome:
    """What a finished (or stopped, or failed) run produced."""

    state: TurnState
    answers: list[str]
    thoughts: list[str]
    finish_reasons: list[str | None] = field(default_factory=list)
    extra_contents: list[dict[str, Any] | None] = field(default_factory=list)
    # Per choice, the tool calls as the next request must repeat them (wire-shaped).
    tool_calls: list[list[dict[str, Any]]] = field(default_factory=list)
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    thinking_tokens: int | None = None
    ttft_ms: int | None = None
    total_ms: int | None = None
    error: dict[str, Any] | None = None


def turn_finish(*, turn_id: int, outcome: TurnOutcome) -> Turn:
    """Store the final state once; a turn already final is left as it is."""
    with transaction.atomic():
        turn = Turn.objects.select_for_update().get(pk=turn_id)
        if turn.is_final:
            return turn
        response_format = (turn.run_spec or {}).get("response_format")
        turn.candidates = [
            _candidate(outcome, index, response_format) for index in range(len(outcome.answers))
        ]
        turn.content = outcome.answers[0] if outcome.answers else ""
        turn.state = outcome.state
        turn.error = outcome.error
        turn.prompt_tokens = outcome.prompt_tokens
        turn.completion_tokens = outcome.completion_tokens
        turn.thinking_tokens = outcome.thinking_tokens
        turn.ttft_ms = outcome.ttft_ms
        turn.total_ms = outcome.total_ms
        turn.save()
        Conversation.objects.filter(pk=turn.conversation_id).update(updated_at=timezone.now())
        prefetch_related_objects([turn], attachments_in_order())  # rendered on the event loop next
        return turn


def _candidate(outcome: TurnOutcome, index: int, response_format: object) -> dict[str, Any]:
    def nth(values: list[Any], default: Any) -> Any:
        return values[index] if index < len(values) else default

    answer = outcome.answers[index]
    thoughts = nth(outcome.thoughts, "")
    candidate = {
        "answer": answer,
        "thoughts": thoughts,
        "thoughts_html": render_markdown(thoughts) if thoughts else "",
        "finish_reason": nth(outcome.finish_reasons, None),
        "extra_content": nth(outcome.extra_contents, None),
        "html": render_markdown(answer) if answer else "",
    }
    if calls := nth(outcome.tool_calls, []):
        candidate["tool_calls"] = calls
    if structured := structured_reply(answer, response_format):
        candidate["structured"] = structured
    return candidate


def turn_tool_results_append(
    *, conversation: Conversation, results: Sequence[dict[str, Any]]
) -> Turn:
    """The results given for the calls of the reply before it, as one tool turn."""
    return Turn.objects.create(
        conversation=conversation,
        role=Turn.Role.TOOL,
        state=TurnState.DONE,
        tool_results=list(results),
    )


def turns_replace_from(*, conversation: Conversation, first_turn_id: int) -> int:
    """Mark this turn and every later live turn as replaced, as one branch; returns the count."""
    live = conversation.turns.filter(replaced_at__isnull=True, pk__gte=first_turn_id)
    branch = (conversation.turns.aggregate(top=Max("branch"))["top"] or 0) + 1
    return live.update(replaced_at=timezone.now(), branch=branch)


def turns_interrupt_streaming() -> int:
    """At start-up no stream can be running in this process: such turns were cut off."""
    return Turn.objects.filter(state=TurnState.STREAMING).update(
        state=TurnState.INTERRUPTED,
        error={"message": "The server stopped while this reply was being generated."},
    )


def conversation_rename(*, conversation: Conversation, title: str) -> None:
    conversation.title = title
    conversation.save(update_fields=["title"])


def conversation_delete(*, conversation: Conversation) -> None:
    conversation.delete()
