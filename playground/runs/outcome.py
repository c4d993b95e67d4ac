"""What one reply produced, and how it is stored: the same for a chat turn and a compare pane.

`reply_candidates` renders markdown once per choice and checks structured output; a reply that
ended "done" with nothing to show (no answer, no tool call) or with a finish reason outside
OpenAI's set is turned into an error in words, so it never looks like a blank success.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from playground.runs.markdown import render_markdown
from playground.runs.states import ReplyState
from playground.runs.structured import structured_reply

# What OpenAI's API documents for `finish_reason`; Gemini can send others (safety filters,
# MALFORMED_FUNCTION_CALL), which mean the reply did not end as asked.
OPENAI_FINISH_REASONS = frozenset(
    {"stop", "length", "tool_calls", "content_filter", "function_call"}
)


@dataclass
class ReplyOutcome:
    """What a finished (or stopped, or failed) run produced."""

    state: ReplyState
    answers: list[str]
    thoughts: list[str]
    # Per choice, the HTML the relay showed when it is the whole text rendered (None: not).
    answers_html: list[str | None] = field(default_factory=list)
    thoughts_html: list[str | None] = field(default_factory=list)
    finish_reasons: list[str | None] = field(default_factory=list)
    extra_contents: list[dict[str, Any] | None] = field(default_factory=list)
    # Per choice, the tool calls as the next request must repeat them (wire-shaped).
    tool_calls: list[list[dict[str, Any]]] = field(default_factory=list)
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    thinking_tokens: int | None = None
    ttft_ms: int | None = None
    # When the thought summary and the answer began (compare's timeline draws them).
    first_thought_ms: int | None = None
    first_answer_ms: int | None = None
    total_ms: int | None = None
    error: dict[str, Any] | None = None
    # What arrived and when (`runs.timeline`), stored once with the reply for replays.
    timeline: dict[str, Any] | None = None

    def row_values(self) -> dict[str, Any]:
        """What every stored reply (a turn, a pane) keeps of the run besides its text."""
        return {
            "state": self.state,
            "error": self.error,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "thinking_tokens": self.thinking_tokens,
            "ttft_ms": self.ttft_ms,
            "total_ms": self.total_ms,
            "timeline": self.timeline,
        }

    def nth(self, values: list[Any], index: int, default: Any) -> Any:
        return values[index] if index < len(values) else default

    def checked(self) -> ReplyOutcome:
        """The outcome as it should be stored: a "done" reply that brought nothing usable, or
        ended for a reason outside OpenAI's set, becomes an error that says so in words."""
        if self.state != ReplyState.DONE:
            return self
        problem = self._problem()
        return self if problem is None else replace(self, state=ReplyState.ERROR, error=problem)

    def _problem(self) -> dict[str, Any] | None:
        choices = range(max(len(self.answers), 1))
        reasons = [self.nth(self.finish_reasons, index, None) for index in choices]
        odd = next((r for r in reasons if r and r not in OPENAI_FINISH_REASONS), None)
        empty = not any(a.strip() for a in self.answers) and not any(self.tool_calls)
        if odd is None and not empty:
            return None
        reason = odd or next((r for r in reasons if r), None)
        return {"message": empty_reply_message(reason, answered=not empty), "finish_reason": reason}


def empty_reply_message(reason: str | None, *, answered: bool) -> str:
    """Why a reply has nothing to show (or ended oddly), in words a person can act on."""
    said = f" (finish reason: {reason})" if reason else ""
    if reason and "MALFORMED_FUNCTION_CALL" in reason:
        return (
            "The model tried to call a tool but wrote a malformed function call, so there is "
            f"no answer{said}. Retry, or simplify the tools or the prompt."
        )
    if answered:
        return (
            f"The reply ended in an unexpected way{said}: it may be cut short. Retry to try again."
        )
    if reason == "length":
        return (
            f"No answer came: the output limit was used up before any answer text{said}. "
            "Raise Max output tokens or lower the thinking, then retry."
        )
    return f"The model ended without an answer or a tool call{said}. Retry to try again."


def reply_candidates(outcome: ReplyOutcome, response_format: object) -> list[dict[str, Any]]:
    """One stored dict per choice: text, rendered HTML, finish reason, signature, tool calls,
    and the structured-output check."""
    return [_candidate(outcome, index, response_format) for index in range(len(outcome.answers))]


def _candidate(outcome: ReplyOutcome, index: int, response_format: object) -> dict[str, Any]:
    answer = outcome.answers[index]
    thoughts = outcome.nth(outcome.thoughts, index, "")
    candidate = {
        "answer": answer,
        "thoughts": thoughts,
        "thoughts_html": _html(thoughts, outcome.nth(outcome.thoughts_html, index, None)),
        "finish_reason": outcome.nth(outcome.finish_reasons, index, None),
        "extra_content": outcome.nth(outcome.extra_contents, index, None),
        "html": _html(answer, outcome.nth(outcome.answers_html, index, None)),
    }
    if calls := outcome.nth(outcome.tool_calls, index, []):
        candidate["tool_calls"] = calls
    if structured := structured_reply(answer, response_format):
        candidate["structured"] = structured
    return candidate


def _html(text: str, shown: str | None) -> str:
    """The stored HTML of a text: what the relay showed, else rendered now (once)."""
    if shown is not None:
        return shown
    return render_markdown(text) if text else ""
