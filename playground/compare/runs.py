"""From validated forms to stored panes and their RunSpecs, and one pane's run to its end."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from channels.db import database_sync_to_async
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.forms import BaseFormSet

from playground.chat.attachments import resolve_attachments, user_content
from playground.chat.models import TurnState
from playground.chat.relay import ReplyRelay, Send
from playground.chat.selectors import chat_model_ids
from playground.chat.tool_settings import tool_choice_value
from playground.compare.forms import CompareForm, pane_formset
from playground.compare.models import Comparison, Pane
from playground.compare.services import PaneTiming, comparison_start, pane_finish
from playground.llm.providers import active_provider
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply
from playground.media.models import Attachment

log = logging.getLogger(__name__)

RELAY_FAILED = "The playground failed while relaying this pane; what arrived is kept."


def pane_dom_prefix(pane_id: int) -> str:
    return f"p{pane_id}"


def spec_for(
    *,
    prompt: str,
    system_prompt: str,
    settings: Mapping[str, Any],
    attachments: Sequence[Attachment] = (),
    tools: Sequence[dict[str, Any]] = (),
    tool_choice: str = "auto",
) -> RunSpec:
    """A pane's spec; attachments are named by reference (`attachment:<uuid>`), not inlined."""
    messages = []
    if system_prompt.strip():
        messages.append(Message(role="system", content=system_prompt))
    messages.append(Message(role="user", content=user_content(prompt, list(attachments))))
    tier = settings.get("service_tier")
    return RunSpec(
        provider=active_provider().name,
        model=settings["model"],
        messages=tuple(messages),
        temperature=settings.get("temperature"),
        seed=settings.get("seed"),
        reasoning_effort=settings.get("reasoning_effort"),
        thinking_level=settings.get("thinking_level"),
        thinking_budget=settings.get("thinking_budget"),
        include_thoughts=bool(settings.get("include_thoughts")),
        # "default" is what Gemini does when nothing is sent; only a change is sent.
        service_tier=tier if tier in {"flex", "priority"} else None,
        tools=tuple(tools),  # type: ignore[arg-type]  # wire dicts, read into FunctionTool values
        # tool_choice means nothing without tools, so it is only sent with them.
        tool_choice=tool_choice_value(tool_choice) if tools else None,
    )


@dataclass
class CompareRequest:
    """The forms of one run, validated together; `ok` when every one of them is valid."""

    form: CompareForm
    panes: BaseFormSet
    model_choices: list[str]

    @property
    def ok(self) -> bool:
        # Both are validated, so every error shows at once.
        return all([self.form.is_valid(), self.panes.is_valid()])


async def compare_request(
    data: Mapping[str, Any], *, user: AbstractBaseUser | None = None
) -> CompareRequest:
    """The run's forms, not yet validated: `ok` reads the database (the sender's attachments)."""
    model_choices = await chat_model_ids()
    return CompareRequest(
        CompareForm(data, user=user),
        pane_formset(model_choices=model_choices, data=data),
        model_choices,
    )


@transaction.atomic  # an attachment that cannot be read leaves nothing stored
def comparison_prepare(
    *, user: AbstractBaseUser, request: CompareRequest
) -> tuple[Comparison, list[tuple[Pane, RunSpec]]]:
    """Store the comparison (specs name attachments by id) and return each pane's spec to send,
    with the attachments' bytes read once and shared by every pane."""
    prompt = request.form.cleaned_data["prompt"]
    system_prompt = request.form.cleaned_data["system_prompt"]
    attachments = request.form.cleaned_data.get("attachments") or []
    shared = {
        "prompt": prompt,
        "system_prompt": system_prompt,
        "attachments": attachments,
        "tools": request.form.cleaned_data.get("tools") or [],
        "tool_choice": request.form.cleaned_data.get("tool_choice") or "auto",
    }
    planned = []
    for pane_form in request.panes.forms:
        settings = pane_form.pane_settings()
        spec = spec_for(settings=settings, **shared)
        planned.append((settings, spec))
    comparison, panes = comparison_start(
        user=user,
        prompt=prompt,
        system_prompt=system_prompt,
        panes=planned,
        attachments=attachments,
    )
    messages = None
    if attachments and planned:  # protected from deletion now: they resolve
        messages = resolve_attachments(planned[0][1], owner=user).messages
    return comparison, [
        (pane, spec if messages is None else replace(spec, messages=messages))
        for pane, (_, spec) in zip(panes, planned, strict=True)
    ]


async def pane_run(*, pane: Pane, spec: RunSpec, send: Send, run_started: float) -> Pane:
    """Stream one pane to `send` and store it once, whatever happens; returns the saved pane."""
    relay = ReplyRelay(turn_id=pane.pk, n=1, send=send, dom_prefix=pane_dom_prefix(pane.pk))
    offset_ms = max(0, round((relay.started - run_started) * 1000))
    outcome = None
    try:
        outcome = await relay.run(stream_reply(spec))
    except Exception:
        log.exception("relaying pane %s failed", pane.pk)
        outcome = relay.outcome(TurnState.ERROR, {"message": RELAY_FAILED})
    finally:
        if outcome is None:  # cancelled before the relay began
            outcome = relay.outcome(TurnState.CANCELLED, None)
        timing = PaneTiming(
            first_thought_ms=relay.elapsed_ms(relay.first_thought_at),
            first_answer_ms=relay.elapsed_ms(relay.first_answer_at),
            offset_ms=offset_ms,
        )
        # Shielded: a second cancel (the tab closing after Stop) must not lose the save.
        saved = await asyncio.shield(
            database_sync_to_async(pane_finish)(pane_id=pane.pk, outcome=outcome, timing=timing)
        )
    return saved


async def panes_run_all(panes: list[tuple[Pane, RunSpec]], *, send: Send) -> int:
    """Every pane at once, each on its own; returns the wall time in milliseconds."""
    started = time.monotonic()
    await asyncio.gather(
        *(pane_run(pane=pane, spec=spec, send=send, run_started=started) for pane, spec in panes)
    )
    return round((time.monotonic() - started) * 1000)
