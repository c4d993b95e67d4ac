"""Writes for comparisons and panes. Plain functions; the consumer calls them off the loop."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from playground.compare.forms import pane_label
from playground.compare.models import Comparison, ComparisonAttachment, Pane
from playground.compare.selectors import comparison_attachments, tools_of
from playground.limits.admission import streams_admit
from playground.llm import RunSpec
from playground.media.models import Attachment
from playground.runs.handoff import FinishedReply, reply_hand_over
from playground.runs.lifecycle import unstarted_outcome
from playground.runs.outcome import ReplyOutcome, reply_candidates
from playground.runs.settings import RunSettings
from playground.runs.states import ReplyState
from playground.runs.text import title_from_prompt


@transaction.atomic
def comparison_start(
    *,
    user: AbstractBaseUser,
    prompt: str,
    system_prompt: str,
    panes: list[tuple[RunSettings, RunSpec]],
    attachments: Sequence[Attachment] = (),
    runs: int = 1,
    requests_taken: bool = False,
) -> tuple[Comparison, list[Pane]]:
    """A new comparison with `runs` streaming rows per pane (settings, spec), in order; its
    attachments are linked (and so protected from deletion) while it exists.
    `requests_taken`: admitted ahead (`compare_ahead`), they already count against the minute."""
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
            label=pane_label(settings.to_dict()),
            settings=settings.to_dict(),
            run_spec=spec.to_dict(),
            run=run,
        )
        for position, (settings, spec) in enumerate(panes)
        for run in range(runs)
    )
    if any(pane.pk is None for pane in created):  # backends that do not return ids
        created = list(comparison.panes.all())
    # Per-person limits (each run of each pane counts); a refusal rolls the comparison back.
    streams_admit(
        user_id=user.pk, kind="pane", ids=[pane.pk for pane in created],
        requests_taken=requests_taken,
    )  # fmt: skip
    return comparison, created


def _attachments_title(attachments: Sequence[Attachment]) -> str:
    names = [a.original_name or a.get_kind_display() for a in attachments]
    return ", ".join(names)[:200] or "Untitled"


def pane_finish(*, pane_id: int, outcome: ReplyOutcome, offset_ms: int | None = None) -> Pane:
    """Store the pane's final state once; a pane already final is left as it is."""
    with transaction.atomic():
        pane = Pane.objects.select_for_update().get(pk=pane_id)
        if pane.is_final:
            return pane
        outcome = outcome.checked()
        candidate = reply_candidates(outcome, None)[0]
        pane.answer, pane.thoughts = candidate["answer"], candidate["thoughts"]
        pane.answer_html, pane.thoughts_html = candidate["html"], candidate["thoughts_html"]
        pane.finish_reason = candidate["finish_reason"] or ""
        pane.extra_content = candidate["extra_content"]
        pane.tool_calls = candidate.get("tool_calls") or []
        for name, value in outcome.row_values().items():
            setattr(pane, name, value)
        pane.first_thought_ms = outcome.first_thought_ms
        pane.first_answer_ms = outcome.first_answer_ms
        pane.offset_ms = offset_ms
        pane.save()
        return pane


def pane_settle(*, pane_id: int, state: ReplyState, error: dict[str, Any] | None) -> Pane:
    """A pane whose run never stored an outcome (stopped before it began): final, empty."""
    return pane_finish(pane_id=pane_id, outcome=unstarted_outcome(state, error))


def comparison_finish(*, comparison_id: int, wall_ms: int) -> Comparison:
    Comparison.objects.filter(pk=comparison_id, wall_ms__isnull=True).update(wall_ms=wall_ms)
    return Comparison.objects.get(pk=comparison_id)


def comparison_delete(*, comparison: Comparison) -> None:
    comparison.delete()


def pane_send_to_chat(*, user: AbstractBaseUser, pane: Pane) -> str:
    """A new chat conversation holding the comparison's prompt and this pane's reply as they
    were, with the pane's settings; returns its address."""
    comparison = pane.comparison
    outcome = ReplyOutcome(
        state=ReplyState(pane.state),
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
    tools, tool_choice = tools_of(pane)
    tier = pane.settings.get("service_tier")
    # The settings the pane ran with, so chat continues as it ran (and can answer its calls).
    settings = RunSettings.from_dict(
        pane.settings,
        system_prompt=comparison.system_prompt,
        tools=tuple(tools),
        tool_choice=tool_choice,
        service_tier=tier if tier in {"flex", "priority"} else None,
    )
    reply = FinishedReply(
        prompt=comparison.prompt,
        attachments=comparison_attachments(comparison),
        settings=settings,
        run_spec=pane.run_spec,
        outcome=outcome,
    )
    return reply_hand_over(to="chat", user=user, reply=reply)
