"""What the reasoning controls offer for a model, driven by the catalog (chat and compare)."""

from __future__ import annotations

from dataclasses import dataclass

from playground.llm import EFFORTS, effort_meaning, family_of, reasoning_row, thinking_request

THINKING_LEVELS = ("minimal", "low", "medium", "high")
REASONING_MODES = (
    ("default", "Model default"),
    ("effort", "reasoning_effort"),
    ("level", "thinking_level"),
    ("budget", "thinking_budget"),
)


@dataclass(frozen=True)
class ReasoningControls:
    model: str
    known: bool
    thinks: bool
    efforts: tuple[str, ...]
    refused_efforts: tuple[tuple[str, str], ...]  # (effort, why), shown as a note
    levels: tuple[str, ...]
    budget_hint: str | None
    default_thinking: str
    effort: str
    level: str
    budget: int | None
    include_thoughts: bool
    # False for an OpenAI-compatible provider: reasoning_effort only, sent as it is.
    gemini: bool = True

    @property
    def meaning(self) -> str:
        return effort_meaning(self.model, self.effort) if self.effort and self.known else ""

    @property
    def sent_as(self) -> str:
        """How the choice goes on the wire when it differs from what was picked."""
        if not self.effort or not self.gemini:
            return ""
        return thinking_request(
            self.model, reasoning_effort=self.effort, include_thoughts=self.include_thoughts
        ).note

    @property
    def modes(self) -> tuple[tuple[str, str], ...]:
        """The one-of reasoning controls a compare pane offers for this model."""
        if not self.thinks:
            return REASONING_MODES[:1]
        wanted = {
            "default",
            "effort",
            "level" if self.levels else "",
            "budget" if self.budget_hint else "",
        }
        return tuple(mode for mode in REASONING_MODES if mode[0] in wanted)


def reasoning_controls(
    model: str,
    *,
    effort: str = "",
    level: str = "",
    budget: int | None = None,
    include_thoughts: bool = True,
    gemini: bool = True,
) -> ReasoningControls:
    """Only what `model` accepts; a model unknown to the catalog gets every control (but an
    OpenAI-compatible provider takes no thinking_config: reasoning_effort alone)."""
    family = family_of(model)
    if not gemini:
        return ReasoningControls(
            model=model, known=False, thinks=True, efforts=EFFORTS, refused_efforts=(),
            levels=(), budget_hint=None, default_thinking="the endpoint decides",
            effort=effort, level="", budget=None, include_thoughts=False, gemini=False,
        )  # fmt: skip
    state = {
        "effort": effort,
        "level": level,
        "budget": budget,
        "include_thoughts": include_thoughts,
    }
    if family is None:
        return ReasoningControls(
            model=model, known=False, thinks=True, efforts=EFFORTS, refused_efforts=(),
            levels=THINKING_LEVELS, budget_hint="any number, -1 for dynamic",
            default_thinking="unknown to the playground: the endpoint decides", **state,
        )  # fmt: skip
    accepted = family.accepted_efforts
    refused = tuple((e, reasoning_row(model, e).reason) for e in EFFORTS if e not in accepted)
    return ReasoningControls(
        model=model,
        known=True,
        thinks=family.thinks,
        efforts=accepted,
        refused_efforts=refused if family.thinks else (),
        levels=family.thinking_levels if family.thinking_style == "level" else (),
        budget_hint=family.budget_range.describe() if family.budget_range else None,
        default_thinking=family.default_thinking,
        **state,
    )
