"""Presenting one step: each of its replies live, replayed from its recording, or live with a
fallback to the recording when the upstream fails or passes the deck's timeout.

A reply's place on the page is a slot (one for a chat step, one per pane of a comparison).
Every attempt draws the slot afresh with its own DOM prefix, so a failed live attempt is
replaced whole by the replay, never mixed with it. Live and replayed replies go through the
same relay (`runs.relay`), so they look alike; a replay shows the recorded figures.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.formats import date_format

from playground.decks.models import Deck, Step
from playground.llm import (
    AnswerDelta,
    FinishEvent,
    Message,
    RunSpec,
    ThoughtDelta,
    ToolCallEvent,
    UsageEvent,
)
from playground.runs.attachments import user_content
from playground.runs.lifecycle import Stream, reply_run
from playground.runs.outcome import ReplyOutcome, reply_candidates
from playground.runs.relay import ReplyRelay, Send
from playground.runs.replay import (
    fragment_events,
    replayed_events,
    timeline_fragments,
)
from playground.runs.reply import Reply
from playground.runs.settings import RunSettings
from playground.runs.states import ReplyState

FAILED = frozenset({ReplyState.ERROR, ReplyState.TIMEOUT})
NO_RECORDING = "This step has no recording to replay: run it live once, then add it again."


@dataclass(frozen=True)
class Slot:
    """One reply of a step: where it shows, what to send, what was recorded."""

    slot_id: str
    label: str
    spec: RunSpec | None  # None: it cannot run live (its settings do not make a request)
    recording: dict[str, Any] | None
    recorded_on: str = ""
    recorded_model: str = ""
    service_tier: str | None = None  # what the step's figures are priced at


@dataclass(frozen=True)
class Plan:
    mode: str
    fallback_seconds: float
    speed: float = 1


@dataclass(frozen=True)
class Attempt:
    slot: Slot
    dom_prefix: str
    replayed: bool
    # Why a live run gave way to the recording ("" when it did not).
    fallback_reason: str = ""


# Draws a slot for an attempt: empty and streaming (outcome None), or finished.
Show = Callable[[Attempt, ReplyOutcome | None], Awaitable[None]]


def recorded_figures(recording: dict[str, Any] | None) -> dict[str, int | None]:
    """The figures a replay shows: the recorded ones, whatever the replay's speed."""
    fragments = timeline_fragments(recording)
    shown = [ms for kind, ms, _ in fragments if kind in {"thought", "answer", "tool_call"}]
    answers = [ms for kind, ms, _ in fragments if kind == "answer"]
    end = (recording or {}).get("end_ms")
    return {
        "ttft_ms": shown[0] if shown else None,
        "first_answer_ms": answers[0] if answers else None,
        "total_ms": end if isinstance(end, int) and not isinstance(end, bool) else None,
    }


@dataclass
class SlotRun:
    slot: Slot
    plan: Plan
    show: Show
    send: Send
    stream: Stream
    owner: AbstractBaseUser | None
    attempts: int = 0

    def _attempt(self, *, replayed: bool, reason: str = "") -> Attempt:
        self.attempts += 1
        return Attempt(self.slot, f"{self.slot.slot_id}-a{self.attempts}", replayed, reason)

    async def run(self) -> ReplyOutcome:
        mode, recording = self.plan.mode, self.slot.recording
        if mode == Deck.Mode.REPLAY or self.slot.spec is None or self.owner is None:
            return await self.replay()
        fallback = mode == Deck.Mode.FALLBACK
        outcome = await self.live(self.plan.fallback_seconds if fallback else None)
        if fallback and outcome.state in FAILED and recording:
            reason = str((outcome.error or {}).get("message") or "the live run failed")
            return await self.replay(reason=reason[:200])
        return outcome

    async def live(self, within: float | None) -> ReplyOutcome:
        assert self.slot.spec is not None and self.owner is not None
        attempt = self._attempt(replayed=False)
        await self.show(attempt, None)
        relay = ReplyRelay(dom_prefix=attempt.dom_prefix, n=1, send=self.send)

        async def kept(outcome: ReplyOutcome) -> ReplyOutcome:
            return outcome

        async with asyncio.timeout(within) as deadline:
            outcome = await reply_run(
                spec=self.slot.spec, stream=self.stream, relay=relay, owner=self.owner,
                finish=kept,
            )  # fmt: skip
        if deadline.expired():
            message = f"No full reply within {self.plan.fallback_seconds:g} s."
            outcome = replace(outcome, state=ReplyState.TIMEOUT, error={"message": message})
        await self.show(attempt, outcome)
        return outcome

    async def replay(self, *, reason: str = "") -> ReplyOutcome:
        attempt = self._attempt(replayed=True, reason=reason)
        await self.show(attempt, None)
        relay = ReplyRelay(dom_prefix=attempt.dom_prefix, n=1, send=self.send)
        if not self.slot.recording:
            outcome = relay.outcome(ReplyState.ERROR, {"message": NO_RECORDING})
        else:
            events = replayed_events(self.slot.recording, speed=self.plan.speed)
            outcome = replace(await relay.run(events), **recorded_figures(self.slot.recording))
        await self.show(attempt, outcome)
        return outcome


def _spec(settings: object, question: Message) -> RunSpec | None:
    """The request a step's stored settings make, or None when they make none."""
    if not isinstance(settings, dict) or not settings.get("model"):
        return None
    try:
        return RunSettings.from_dict(settings).to_spec([question])
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def tier_of(settings: dict[str, Any]) -> str | None:
    tier = settings.get("service_tier")
    return tier if isinstance(tier, str) and tier else None


def step_slots(step: Step) -> list[Slot]:
    """The replies a step shows: one for a chat prompt, one per pane of a comparison."""
    attachments = list(step.attachments.order_by("stepattachment__position"))
    question = Message(role="user", content=user_content(step.prompt, attachments))
    recorded_on = date_format(step.recorded_at, "j F Y") if step.recorded_at else "an unknown date"
    if step.kind == Step.Kind.CHAT:
        settings = step.settings if isinstance(step.settings, dict) else {}
        model = str(settings.get("model") or step.recorded_model or "the model")
        return [Slot(f"s{step.pk}-r0", model, _spec(settings, question), step.recording,
                     recorded_on, step.recorded_model or model, tier_of(settings))]  # fmt: skip
    slots = []
    for index, pane in enumerate(step.panes if isinstance(step.panes, list) else []):
        pane = pane if isinstance(pane, dict) else {}
        settings = pane.get("settings") if isinstance(pane.get("settings"), dict) else {}
        model = str(settings.get("model") or "the model")
        recording = pane.get("recording") if isinstance(pane.get("recording"), dict) else None
        label = str(pane.get("label") or model)
        slots.append(Slot(f"s{step.pk}-r{index}", label, _spec(settings, question), recording,
                          recorded_on, model, tier_of(settings)))  # fmt: skip
    return slots


def recorded_outcome(recording: dict[str, Any] | None) -> ReplyOutcome:
    """What a recording shows once played to its end (a shared deck shows it so)."""
    answer: list[str] = []
    thoughts: list[str] = []
    usage: UsageEvent | None = None
    reason: str | None = None
    calls: list[dict[str, Any]] = []
    for _, event in fragment_events(timeline_fragments(recording)):
        match event:
            case AnswerDelta(text=text):
                answer.append(text)
            case ThoughtDelta(text=text):
                thoughts.append(text)
            case UsageEvent():
                usage = event
            case FinishEvent(reason=finished):
                reason = finished
            case ToolCallEvent():
                calls.append(event.as_tool_call().to_wire())
    return ReplyOutcome(
        state=ReplyState.DONE, answers=["".join(answer)], thoughts=["".join(thoughts)],
        finish_reasons=[reason], tool_calls=[calls],
        prompt_tokens=usage.prompt_tokens if usage else None,
        completion_tokens=usage.completion_tokens if usage else None,
        thinking_tokens=usage.thinking_tokens if usage else None,
        **recorded_figures(recording),
    )  # fmt: skip


def slot_reply(attempt: Attempt, outcome: ReplyOutcome | None) -> Reply:
    """The reply partial's value for an attempt: empty and streaming, or as it ended."""
    label = attempt.slot.label
    if outcome is None:
        return Reply(pk=0, dom_prefix=attempt.dom_prefix, state=ReplyState.STREAMING,
                     model=label, candidates=[{}])  # fmt: skip
    outcome = outcome.checked()
    return Reply(
        pk=0, dom_prefix=attempt.dom_prefix, state=outcome.state, model=label,
        candidates=reply_candidates(outcome, None), error=outcome.error,
        ttft_ms=outcome.ttft_ms, first_answer_ms=outcome.first_answer_ms,
        total_ms=outcome.total_ms, prompt_tokens=outcome.prompt_tokens,
        completion_tokens=outcome.completion_tokens, thinking_tokens=outcome.thinking_tokens,
        priced_model=attempt.slot.recorded_model, service_tier=attempt.slot.service_tier,
    )  # fmt: skip


def recorded_attempt(slot: Slot) -> tuple[Attempt, Reply]:
    """A slot as its recording ended, badged as replayed (a shared deck shows it so)."""
    attempt = Attempt(slot, f"{slot.slot_id}-a0", replayed=True)
    return attempt, slot_reply(attempt, recorded_outcome(slot.recording))
