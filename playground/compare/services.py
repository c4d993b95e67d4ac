"""Writes for comparisons and panes. Plain functions; the consumer calls them off the loop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from playground.chat.models import Conversation, TurnState
from playground.chat.rendering import render_markdown
from playground.chat.services import (
    TurnOutcome,
    conversation_for_send,
    title_from_prompt,
    turn_assistant_start,
    turn_finish,
    turn_user_append,
)
from playground.compare.forms import pane_label
from playground.compare.models import Comparison, ComparisonAttachment, Pane
from playground.compare.selectors import comparison_attachments, tools_of
from playground.limits.admission import streams_admit
from playground.llm.runspec import RunSpec
from playground.media.models import Attachment


@dataclass(frozen=True)
class PaneTiming:
    """Milliseconds from the pane's request; `offset_ms` from the start of the whole run."""

    first_thought_ms: int | None = None
    first_answer_ms: int | None = None
    offset_ms: int | None = None


@transaction.atomic
def comparison_start(
    *,
    user: AbstractBaseUser,
    prompt: str,
    system_prompt: str,
    panes: list[tuple[dict[str, Any], RunSpec]],
    attachments: Sequence[Attachment] = (),
) -> tuple[Comparison, list[Pane]]:
    """A new comparison with one streaming pane per (settings, spec), in order; its attachments
    are linked (and so protected from deletion) while it exists."""
    title = title_from_prompt(prompt) if prompt.strip() else _attachments_title(attachments)
    comparison = Comparison.objects.create(
        user=user, title=title, prompt=prompt, system_prompt=system_prompt
    )
    ComparisonAttachment.objects.bulk_create(
        ComparisonAttachment(comparison=comparison, attachment=attachment, position=position)
        for position, attachment in enumerate(attachments)
    )
    created = Pane.objects.bulk_create(
        Pane(
            comparison=comparison,
            position=position,
            label=pane_label(settings),
            settings=settings,
            run_spec=spec.to_dict(),
        )
        for position, (settings, spec) in enumerate(panes)
    )
    if any(pane.pk is None for pane in created):  # backends that do not return ids
        created = list(comparison.panes.all())
    # Per-person limits (each pane counts); a refusal rolls the comparison back.
    streams_admit(user_id=user.pk, kind="pane", ids=[pane.pk for pane in created])
    return comparison, created


def _attachments_title(attachments: Sequence[Attachment]) -> str:
    names = [a.original_name or a.get_kind_display() for a in attachments]
    return ", ".join(names)[:200] or "Untitled"


def pane_finish(*, pane_id: int, outcome: TurnOutcome, timing: PaneTiming) -> Pane:
    """Store the pane's final state once; a pane already final is left as it is."""
    with transaction.atomic():
        pane = Pane.objects.select_for_update().get(pk=pane_id)
        if pane.is_final:
            return pane
        answer = outcome.answers[0] if outcome.answers else ""
        thoughts = outcome.thoughts[0] if outcome.thoughts else ""
        pane.answer, pane.thoughts = answer, thoughts
        pane.answer_html = render_markdown(answer) if answer else ""
        pane.thoughts_html = render_markdown(thoughts) if thoughts else ""
        pane.finish_reason = (outcome.finish_reasons or [None])[0] or ""
        pane.extra_content = (outcome.extra_contents or [None])[0]
        pane.tool_calls = (outcome.tool_calls or [[]])[0]
        pane.state = outcome.state
        pane.error = outcome.error
        pane.prompt_tokens = outcome.prompt_tokens
        pane.completion_tokens = outcome.completion_tokens
        pane.thinking_tokens = outcome.thinking_tokens
        pane.ttft_ms = outcome.ttft_ms
        pane.total_ms = outcome.total_ms
        pane.first_thought_ms = timing.first_thought_ms
        pane.first_answer_ms = timing.first_answer_ms
        pane.offset_ms = timing.offset_ms
        pane.save()
        return pane


def pane_settle(*, pane_id: int, state: TurnState, error: dict[str, Any] | None) -> Pane:
    """A pane whose run never stored an outcome (stopped before it began): final, empty."""
    outcome = TurnOutcome(state=state, answers=[""], thoughts=[""], error=error)
    return pane_finish(pane_id=pane_id, outcome=outcome, timing=PaneTiming())


def comparison_finish(*, comparison_id: int, wall_ms: int) -> Comparison:
    Comparison.objects.filter(pk=comparison_id, wall_ms__isnull=True).update(wall_ms=wall_ms)
    return Comparison.objects.get(pk=comparison_id)


def panes_interrupt_streaming() -> int:
    """At start-up no pane can be running in this process: such panes were cut off."""
    return Pane.objects.filter(state=TurnState.STREAMING).update(
        state=TurnState.INTERRUPTED,
        error={"message": "The server stopped while this pane was being generated."},
    )


def comparison_delete(*, comparison: Comparison) -> None:
    comparison.delete()


def _chat_settings(comparison: Comparison, pane: Pane) -> dict[str, Any]:
    """The chat composer's settings that continue this pane's run."""
    settings = pane.settings
    tier = settings.get("service_tier")
    tools, tool_choice = tools_of(pane)
    return {
        "model": settings.get("model"),
        "system_prompt": comparison.system_prompt,
        "temperature": settings.get("temperature"),
        "top_p": None,
        "max_tokens": None,
        "stop": [],
        "seed": settings.get("seed"),
        "n": 1,
        "stream": True,
        "include_thoughts": bool(settings.get("include_thoughts")),
        # The reasoning the pane ran with, for a composer that offers it.
        "reasoning_effort": settings.get("reasoning_effort") or "",
        "thinking_level": settings.get("thinking_level") or "",
        "thinking_budget": settings.get("thinking_budget"),
        "service_tier": "" if tier in (None, "default") else tier,
        # The tools the pane ran with, so its calls can be answered in chat.
        "tools": tools,
        "tool_choice": tool_choice,
    }


@transaction.atomic
def pane_send_to_chat(*, user: AbstractBaseUser, pane: Pane) -> Conversation:
    """A new chat conversation: the comparison's prompt and this pane's reply, as they were."""
    comparison = pane.comparison
    conversation = conversation_for_send(
        user=user,
        conversation_id=None,
        prompt=comparison.prompt,
        settings=_chat_settings(comparison, pane),
    )
    turn_user_append(
        conversation=conversation,
        prompt=comparison.prompt,
        attachments=comparison_attachments(comparison),
    )
    turn = turn_assistant_start(conversation=conversation, run_spec=pane.run_spec, n=1)
    outcome = TurnOutcome(
        state=TurnState(pane.state),
        answers=[pane.answer],
        thoughts=[pane.thoughts],
        finish_reasons=[pane.finish_reason or None],
        extra_contents=[pane.extra_content],
        tool_calls=[pane.tool_calls],
        prompt_tokens=pane.prompt_tokens,
        completion_tokens=pane.completion_tokens,
        thinking_tokens=pane.thinking_tokens,
        ttft_ms=pane.ttft_ms,
        total_ms=pane.total_ms,
        error=pane.error,
    )
    turn_finish(turn_id=turn.pk, outcome=outcome)
    return conversation
