"""The few typed events a reply is turned into, whatever the endpoint's wire quirks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from playground.llm.runspec import ToolCall


@dataclass(frozen=True, slots=True)
class ThoughtDelta:
    """A piece of the thought summary, tags removed."""

    text: str
    choice: int = 0


@dataclass(frozen=True, slots=True)
class AnswerDelta:
    text: str
    choice: int = 0


@dataclass(frozen=True, slots=True)
class ToolCallEvent:
    """One complete tool call. `position` counts calls within the choice, from 0.

    `extra_content` is the call's own, exactly as received: it must go back on the same call
    of the assistant message in the next request (Gemini's thought signature).
    """

    choice: int
    position: int
    call_id: str
    name: str
    arguments: str
    extra_content: Mapping[str, Any] | None = None

    @property
    def thought_signature(self) -> str | None:
        return _signature_in(self.extra_content)

    def as_tool_call(self) -> ToolCall:
        """The call as the next request's assistant message must repeat it."""
        return ToolCall(self.call_id, self.name, self.arguments, self.extra_content)


@dataclass(frozen=True, slots=True)
class SignatureEvent:
    """The reply's own `extra_content` carrying a thought signature, to echo back verbatim."""

    choice: int
    extra_content: Mapping[str, Any]

    @property
    def thought_signature(self) -> str | None:
        return _signature_in(self.extra_content)


@dataclass(frozen=True, slots=True)
class UsageEvent:
    """Token counts so far; some streams repeat them on every chunk: keep the last one."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    thinking_tokens: int


@dataclass(frozen=True, slots=True)
class FinishEvent:
    """Why a choice ended, as the endpoint spelled it (may be a non-standard string)."""

    choice: int
    reason: str


Event = ThoughtDelta | AnswerDelta | ToolCallEvent | SignatureEvent | UsageEvent | FinishEvent


def _signature_in(extra_content: Mapping[str, Any] | None) -> str | None:
    google = (extra_content or {}).get("google")
    signature = google.get("thought_signature") if isinstance(google, Mapping) else None
    return signature if isinstance(signature, str) and signature else None


def call_is_signed(call: object) -> bool:
    """Whether a stored (wire-shaped) tool call carries a thought signature."""
    extra = call.get("extra_content") if isinstance(call, Mapping) else None
    return _signature_in(extra if isinstance(extra, Mapping) else None) is not None


def usage_event(usage: Mapping[str, Any]) -> UsageEvent:
    """Gemini reports no reasoning_tokens: thinking is what the total has beyond the two parts.

    OpenAI-style endpoints count reasoning inside completion_tokens and say so in
    `completion_tokens_details`; that figure is used when it is there.
    """
    prompt = _count(usage.get("prompt_tokens"))
    completion = _count(usage.get("completion_tokens"))
    total = _count(usage.get("total_tokens"))
    details = usage.get("completion_tokens_details")
    reasoning = _count(details.get("reasoning_tokens")) if isinstance(details, Mapping) else 0
    return UsageEvent(prompt, completion, total, reasoning or max(0, total - prompt - completion))


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
