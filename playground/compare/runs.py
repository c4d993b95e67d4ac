"""From validated forms to stored panes and their RunSpecs, and one pane's run to its end."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from channels.db import database_sync_to_async
from django.contrib.auth.models import AbstractBaseUser
from django.forms import BaseFormSet

from playground.chat.models import TurnState
from playground.chat.relay import ReplyRelay, Send
from playground.chat.selectors import chat_model_ids
from playground.compare.forms import CompareForm, pane_formset
from playground.compare.models import Comparison, Pane
from playground.compare.services import PaneTiming, comparison_start, pane_finish
from playground.llm.providers import active_provider
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply

log = logging.getLogger(__name__)

RELAY_FAILED = "The playground failed while relaying this pane; what arrived is kept."


def pane_dom_prefix(pane_id: int) -> str:
    return f"p{pane_id}"


def spec_for(*, prompt: str, system_prompt: str, settings: Mapping[str, Any]) -> RunSpec:
    messages = []
    if system_prompt.strip():
        messages.append(Message(role="system", content=system_prompt))
    messages.append(Message(role="user", content=prompt))
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


async def compare_request(data: Mapping[str, Any]) -> CompareRequest:
    model_choices = await chat_model_ids()
    return CompareRequest(
        CompareForm(data), pane_formset(model_choices=model_choices, data=data), model_choices
    )


def comparison_prepare(
    *, user: AbstractBaseUser, request: CompareRequest
) -> tuple[Comparison, list[tuple[Pane, RunSpec]]]:
    prompt = request.form.cleaned_data["prompt"]
    system_prompt = request.form.cleaned_data["system_prompt"]
    planned = []
    for pane_form in request.panes.forms:
        settings = pane_form.pane_settings()
        planned.append(
            (settings, spec_for(prompt=prompt, system_prompt=system_prompt, settings=settings))
        )
    comparison, panes = comparison_start(
        user=user, prompt=prompt, system_prompt=system_prompt, panes=planned
    )
    return comparison, [(pane, spec) for pane, (_, spec) in zip(panes, planned, strict=True)]


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
