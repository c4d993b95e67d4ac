"""One reply as every page shows it: a chat turn's and a compare pane's, live, saved or shared.

`templates/runs/_reply.html` renders a `Reply`; the models build theirs (`Turn.reply`,
`Pane.reply`), so a feature added to the partial shows in chat, compare and share pages alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from playground.catalog.costs import Usage, cost_text, run_cost, tier_label
from playground.llm import provider_shown
from playground.runs.models import StoredReply
from playground.runs.states import FINAL_STATES, ReplyState

RETRYABLE = frozenset({ReplyState.ERROR, ReplyState.TIMEOUT, ReplyState.INTERRUPTED})


@dataclass(frozen=True)
class Reply:
    pk: int
    # Streamed fragments target `<dom_prefix>-c<choice>-answer` / `-thoughts`.
    dom_prefix: str
    state: str
    model: str
    # Per choice: answer, thoughts, html, thoughts_html, finish_reason, tool_calls, structured.
    candidates: Sequence[dict[str, Any]]
    error: dict[str, Any] | None = None
    ttft_ms: int | None = None
    first_answer_ms: int | None = None
    total_ms: int | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    thinking_tokens: int | None = None
    # From the request as sent: what the run is billed as.
    priced_model: str = ""
    service_tier: str | None = None
    # The provider's label when several are configured, else "".
    provider: str = ""

    @cached_property
    def cost(self) -> Decimal | None:
        """Dollars, from the catalog's price table; None when the price (or usage) is unknown."""
        usage = Usage(self.prompt_tokens, self.completion_tokens, self.thinking_tokens)
        return run_cost(model=self.priced_model, usage=usage, service_tier=self.service_tier)

    @property
    def cost_shown(self) -> str:
        """The figures line's cost: dollars, "price unknown", or "" when no usage came back."""
        if self.prompt_tokens is None:
            return ""
        return cost_text(self.cost)

    @property
    def cost_tier(self) -> str:
        return tier_label(self.service_tier)

    @property
    def streaming(self) -> bool:
        return self.state == ReplyState.STREAMING

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def state_label(self) -> str:
        return ReplyState(self.state).label if self.state in ReplyState.values else self.state

    @property
    def retryable(self) -> bool:
        return self.state in RETRYABLE

    @property
    def finish_reason(self) -> str | None:
        """The one finish reason worth a metric: a single choice's."""
        return self.candidates[0].get("finish_reason") if len(self.candidates) == 1 else None

    @property
    def answer_text(self) -> str:
        return self.candidates[0].get("answer", "") if self.candidates else ""

    @property
    def is_empty(self) -> bool:
        """Final with nothing at all to show (no text, no calls, no error): say so in words."""
        if not self.is_final or self.error:
            return False
        return not any(
            c.get("answer") or c.get("thoughts") or c.get("tool_calls") for c in self.candidates
        )


def reply_of(
    row: StoredReply, *, kind: str, candidates: Sequence[dict[str, Any]], model: str, **extra: Any
) -> Reply:
    """The reply a stored row holds (a chat turn, `kind="t"`; a compare pane, `"p"`)."""
    spec = getattr(row, "run_spec", None) or {}
    return Reply(
        pk=row.pk,
        dom_prefix=f"{kind}{row.pk}",
        state=row.state,
        model=model,
        candidates=candidates,
        error=row.error,
        ttft_ms=row.ttft_ms,
        total_ms=row.total_ms,
        prompt_tokens=row.prompt_tokens,
        completion_tokens=row.completion_tokens,
        thinking_tokens=row.thinking_tokens,
        priced_model=str(spec.get("model") or ""),
        service_tier=spec.get("service_tier") or None,
        provider=provider_shown(str(spec.get("provider") or "")),
        **extra,
    )
