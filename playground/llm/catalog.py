"""What each Gemini model family can do, and what `reasoning_effort` means on it.

The reasoning table is Google's (seed page 004); the per-family limits are what the endpoint
enforces (GEMINI_WIRE.md). Model ids are matched by prefix, so new previews of a known family
(`gemini-2.5-flash-preview-09-2025`) are recognised without a code change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

CHAT = "chat"
THINKING = "thinking"
IMAGE_GENERATION = "image_generation"
VIDEO_GENERATION = "video_generation"
EMBEDDINGS = "embeddings"

# In the order a settings page lists them, weakest first.
EFFORTS: tuple[str, ...] = ("none", "minimal", "low", "medium", "high")
DYNAMIC_BUDGET = -1

# Variants that share a chat family's prefix but do not speak chat completions.
NOT_CHAT_MARKERS: tuple[str, ...] = ("-tts", "-native-audio", "-live")

ThinkingStyle = Literal["level", "budget"]


def bare_model_id(model_id: str) -> str:
    """`models/gemini-2.5-flash` -> `gemini-2.5-flash` (Gemini lists ids with the prefix)."""
    return model_id.strip().removeprefix("models/")


@dataclass(frozen=True, slots=True)
class BudgetRange:
    """The thinking budgets a 2.5 model takes; -1 (dynamic) is accepted everywhere."""

    minimum: int
    maximum: int
    can_be_zero: bool

    def accepts(self, budget: int) -> bool:
        if budget == DYNAMIC_BUDGET:
            return True
        if budget == 0:
            return self.can_be_zero
        return self.minimum <= budget <= self.maximum

    def describe(self) -> str:
        span = f"{self.minimum:,} to {self.maximum:,}"
        return f"{span}, 0 (off) or -1 (dynamic)" if self.can_be_zero else f"{span} or -1 (dynamic)"


@dataclass(frozen=True, slots=True)
class ModelFamily:
    key: str
    label: str
    prefixes: tuple[str, ...]
    capabilities: frozenset[str]
    thinking_style: ThinkingStyle | None = None
    # reasoning_effort -> thinking level (Gemini 3) or thinking budget (2.5); absent = refused.
    # Left out of ==/hash (a mapping proxy cannot be hashed); `key` already tells families apart.
    effort_map: MappingProxyType[str, str | int] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )
    thinking_levels: tuple[str, ...] = ()
    budget_range: BudgetRange | None = None
    can_disable_thinking: bool = False
    default_thinking: str = ""

    @property
    def accepted_efforts(self) -> tuple[str, ...]:
        return tuple(effort for effort in EFFORTS if effort in self.effort_map)

    @property
    def thinks(self) -> bool:
        return THINKING in self.capabilities


def _efforts(**mapping: str | int) -> MappingProxyType[str, str | int]:
    return MappingProxyType(mapping)


_THINKING_CHAT = frozenset({CHAT, THINKING})
_LEVELS_3 = _efforts(minimal="minimal", low="low", medium="medium", high="high")
_BUDGETS_25 = {"minimal": 1024, "low": 1024, "medium": 8192, "high": 24576}

FAMILIES: tuple[ModelFamily, ...] = (
    ModelFamily(
        key="gemini-3.1-pro",
        label="Gemini 3.1 Pro",
        prefixes=("gemini-3.1-pro",),
        capabilities=_THINKING_CHAT,
        thinking_style="level",
        effort_map=_efforts(minimal="low", low="low", medium="medium", high="high"),
        thinking_levels=("low", "medium", "high"),
        default_thinking="dynamic: the model picks its level (high at most)",
    ),
    ModelFamily(
        key="gemini-3-pro",
        label="Gemini 3 Pro",
        prefixes=("gemini-3-pro",),
        capabilities=_THINKING_CHAT,
        thinking_style="level",
        # The older Gemini 3 Pro answered MEDIUM with "Thinking level MEDIUM is not supported".
        effort_map=_efforts(low="low", high="high"),
        thinking_levels=("low", "high"),
        default_thinking="dynamic: the model picks its level (high at most)",
    ),
    ModelFamily(
        key="gemini-3-flash",
        label="Gemini 3 Flash",
        prefixes=("gemini-3-flash",),
        capabilities=_THINKING_CHAT,
        thinking_style="level",
        effort_map=_LEVELS_3,
        thinking_levels=("minimal", "low", "medium", "high"),
        default_thinking="dynamic: the model picks its level (high at most)",
    ),
    ModelFamily(
        key="gemini-3.1-flash-lite",
        label="Gemini 3.1 Flash-Lite",
        prefixes=("gemini-3.1-flash-lite",),
        capabilities=_THINKING_CHAT,
        thinking_style="level",
        effort_map=_LEVELS_3,
        thinking_levels=("minimal", "low", "medium", "high"),
        default_thinking="the model's default level",
    ),
    ModelFamily(
        key="gemini-2.5-pro",
        label="Gemini 2.5 Pro",
        prefixes=("gemini-2.5-pro",),
        capabilities=_THINKING_CHAT,
        thinking_style="budget",
        effort_map=_efforts(**_BUDGETS_25),
        budget_range=BudgetRange(128, 32768, can_be_zero=False),
        default_thinking="dynamic budget (-1); thinking cannot be turned off",
    ),
    ModelFamily(
        key="gemini-2.5-flash",
        label="Gemini 2.5 Flash",
        prefixes=("gemini-2.5-flash",),
        capabilities=_THINKING_CHAT,
        thinking_style="budget",
        effort_map=_efforts(none=0, **_BUDGETS_25),
        budget_range=BudgetRange(0, 24576, can_be_zero=True),
        can_disable_thinking=True,
        default_thinking="dynamic budget (-1)",
    ),
    ModelFamily(
        key="gemini-2.5-flash-lite",
        label="Gemini 2.5 Flash-Lite",
        prefixes=("gemini-2.5-flash-lite",),
        capabilities=_THINKING_CHAT,
        thinking_style="budget",
        effort_map=_efforts(none=0, **_BUDGETS_25),
        budget_range=BudgetRange(512, 24576, can_be_zero=True),
        can_disable_thinking=True,
        default_thinking="off unless a budget or effort is given",
    ),
    ModelFamily(
        key="gemini-2.0-flash",
        label="Gemini 2.0 Flash",
        prefixes=("gemini-2.0-flash",),
        capabilities=frozenset({CHAT}),
        default_thinking="does not think",
    ),
    ModelFamily(
        key="image",
        label="Image generation",
        prefixes=(
            "gemini-2.5-flash-image",
            "gemini-3-pro-image",
            "gemini-3.1-flash-image",
            "imagen",
            "gpt-image",
            "dall-e",
        ),
        capabilities=frozenset({IMAGE_GENERATION}),
    ),
    ModelFamily(
        key="video",
        label="Video generation",
        prefixes=("veo",),
        capabilities=frozenset({VIDEO_GENERATION}),
    ),
    ModelFamily(
        key="embeddings",
        label="Embeddings",
        prefixes=("gemini-embedding", "text-embedding", "embedding-"),
        capabilities=frozenset({EMBEDDINGS}),
    ),
)

# Longest prefix first, so `gemini-2.5-flash-lite` wins over `gemini-2.5-flash`.
_BY_PREFIX: tuple[tuple[str, ModelFamily], ...] = tuple(
    sorted(
        ((prefix, family) for family in FAMILIES for prefix in family.prefixes),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
)


def family_of(model_id: str) -> ModelFamily | None:
    bare = bare_model_id(model_id).lower()
    if any(marker in bare for marker in NOT_CHAT_MARKERS):
        return None
    return next((family for prefix, family in _BY_PREFIX if bare.startswith(prefix)), None)


def capabilities_of(model_id: str) -> frozenset[str]:
    family = family_of(model_id)
    return family.capabilities if family else frozenset()


@dataclass(frozen=True, slots=True)
class ReasoningRow:
    """One line of a model page's reasoning table."""

    effort: str
    meaning: str
    accepted: bool
    reason: str = ""


def _describe(effort: str, value: str | int, bare: str) -> str:
    if isinstance(value, str):
        return f"{effort} on {bare} = thinking level {value}"
    if value == 0:
        return f"{effort} on {bare} = thinking off"
    return f"{effort} on {bare} = {value:,}-token thinking budget"


def _effort_refusal(family: ModelFamily, effort: str, bare: str) -> str:
    if effort not in EFFORTS:
        return f"{effort!r} is not a reasoning_effort value (use {', '.join(EFFORTS)})"
    if effort == "none":
        return f"{bare} cannot turn thinking off"
    return f"{bare} does not take {effort} (it takes {', '.join(family.accepted_efforts)})"


def reasoning_row(model_id: str, effort: str) -> ReasoningRow:
    bare = bare_model_id(model_id)
    family = family_of(model_id)
    if family is None:
        reason = f"{bare} is not in the catalog, so what {effort} means there is unknown"
        return ReasoningRow(effort, "", False, reason)
    if not family.thinks:
        return ReasoningRow(effort, "", False, f"{bare} does not think")
    if effort in family.effort_map:
        return ReasoningRow(effort, _describe(effort, family.effort_map[effort], bare), True)
    return ReasoningRow(effort, "", False, _effort_refusal(family, effort, bare))


def effort_meaning(model_id: str, effort: str) -> str:
    """What `reasoning_effort=effort` turns into on this model, or why it is refused."""
    row = reasoning_row(model_id, effort)
    return row.meaning if row.accepted else row.reason


def reasoning_table(model_id: str) -> tuple[ReasoningRow, ...]:
    """Every effort, weakest first; empty for models that do not think or are unknown."""
    family = family_of(model_id)
    if family is None or not family.thinks:
        return ()
    return tuple(reasoning_row(model_id, effort) for effort in EFFORTS)


def thinking_refusal(
    model_id: str,
    *,
    reasoning_effort: str | None = None,
    thinking_level: str | None = None,
    thinking_budget: int | None = None,
) -> str | None:
    """Why Gemini would refuse these thinking settings, or None when they are fine.

    Models outside the catalog get no opinion beyond the overlap rule: another endpoint
    may accept what Gemini would not.
    """
    has_config = thinking_level is not None or thinking_budget is not None
    if reasoning_effort is not None and has_config:
        return "reasoning_effort and a thinking level or budget overlap: send one of them"
    if thinking_level is not None and thinking_budget is not None:
        return "send a thinking level or a thinking budget, not both"
    family = family_of(model_id)
    if family is None or (reasoning_effort is None and not has_config):
        return None
    bare = bare_model_id(model_id)
    if not family.thinks:
        return f"{bare} does not think"
    if reasoning_effort is not None:
        row = reasoning_row(model_id, reasoning_effort)
        return None if row.accepted else row.reason
    if thinking_level is not None:
        return _level_refusal(family, thinking_level, bare)
    assert thinking_budget is not None
    return _budget_refusal(family, thinking_budget, bare)


def _level_refusal(family: ModelFamily, level: str, bare: str) -> str | None:
    if family.thinking_style != "level":
        return f"{bare} takes a thinking budget, not a thinking level"
    if level in family.thinking_levels:
        return None
    levels = ", ".join(family.thinking_levels)
    return f"{bare} does not take thinking level {level} (it takes {levels})"


def _budget_refusal(family: ModelFamily, budget: int, bare: str) -> str | None:
    if family.thinking_style != "budget" or family.budget_range is None:
        return f"{bare} takes a thinking level, not a thinking budget"
    if family.budget_range.accepts(budget):
        return None
    if budget == 0:
        return f"{bare} cannot turn thinking off (budget 0)"
    return f"{bare} takes a thinking budget of {family.budget_range.describe()}"


@dataclass(frozen=True)
class ThinkingRequest:
    """The thinking fields a request carries, after the one rule Gemini enforces: never
    `reasoning_effort` together with a `thinking_config` (it answers 400 "Expected one of
    either reasoning_effort or custom thinking_config; found both")."""

    reasoning_effort: str | None = None
    thinking_level: str | None = None
    thinking_budget: int | None = None
    include_thoughts: bool = False
    # Said next to the control when the request differs from what was picked.
    note: str = ""


def thinking_request(
    model_id: str,
    *,
    reasoning_effort: str | None = None,
    thinking_level: str | None = None,
    thinking_budget: int | None = None,
    include_thoughts: bool = False,
) -> ThinkingRequest:
    """What to send for these choices: chat, compare and "Get code" all ask this function.

    Thought summaries need a thinking_config, so an effort picked together with summaries is
    sent as the thinking_level (Gemini 3) or thinking_budget (2.5) the effort stands for.
    """
    family = family_of(model_id)
    if family is not None and not family.thinks:
        include_thoughts = False  # nothing to summarise; not an error
    if not (reasoning_effort and include_thoughts):
        return ThinkingRequest(reasoning_effort, thinking_level, thinking_budget, include_thoughts)
    value = family.effort_map.get(reasoning_effort) if family is not None else None
    if value is None:
        # Unknown model (or an effort the model refuses, which the forms report): the effort
        # cannot be translated, so the summaries are what is left out.
        note = (
            "thought summaries are not requested: they need a thinking_config, which cannot "
            "go with reasoning_effort"
        )
        return ThinkingRequest(reasoning_effort, thinking_level, thinking_budget, False, note)
    why = "because thought summaries need a thinking_config"
    if isinstance(value, str):
        return ThinkingRequest(
            thinking_level=value,
            include_thoughts=True,
            note=f"sent as thinking_level {value}, {why}",
        )
    return ThinkingRequest(
        thinking_budget=value,
        include_thoughts=True,
        note=f"sent as thinking_budget {value:,}, {why}",
    )
