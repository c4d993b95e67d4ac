"""Reasoning settings: `reasoning_effort` or `extra_body.google.thinking_config`, per model."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from playground.emulator.errors import invalid_argument, invalid_value, unknown_field
from playground.emulator.known_models import (
    EFFORT_BUDGETS,
    GEMINI_3_LEVELS,
    BudgetThinking,
    KnownModel,
    LevelThinking,
)

THINKING_CONFIG_FIELDS = ("include_thoughts", "thinking_budget", "thinking_level")
CONFIG_AT = "extra_body.google.thinking_config"
BOTH_THINKING_SETTINGS = (
    "Expected one of either reasoning_effort or custom thinking_config; found both"
)
DYNAMIC_BUDGET = -1

# Thinking tokens a level spends on a short question (low, high); longer questions spend more.
LEVEL_TOKENS = {
    "minimal": (80, 200),
    "low": (280, 720),
    "medium": (1600, 3600),
    "high": (4200, 9000),
}
DYNAMIC_TOKENS = (900, 2800)


@dataclass(frozen=True, slots=True)
class ThinkingPlan:
    level: str | None = None  # Gemini 3
    budget: int | None = None  # Gemini 2.5: -1 dynamic, 0 off
    include_thoughts: bool = False

    @property
    def enabled(self) -> bool:
        return self.level is not None or self.budget not in (None, 0)

    @property
    def label(self) -> str:
        if self.level is not None:
            return f"level {self.level}"
        if self.budget == DYNAMIC_BUDGET:
            return "dynamic budget"
        if self.budget:
            return f"budget {self.budget:,}"
        return "off"


def _only_thinking_mode(model: KnownModel) -> str:
    return (
        f"Thinking cannot be turned off for {model.name}: this model only works in thinking mode."
    )


def _effort_error(effort: Any, valid: list[str], model: KnownModel) -> Exception:
    message = f"Invalid reasoning_effort: {effort}. Valid values are: {', '.join(sorted(valid))}"
    if effort == "none":
        message += f". {_only_thinking_mode(model)}"
    return invalid_argument(message)


def _not_thinking_model(model: KnownModel) -> Exception:
    return invalid_argument(f"Thinking is not supported for {model.name}.")


def _plan_from_effort(model: KnownModel, effort: Any) -> ThinkingPlan:
    thinking = model.thinking
    if thinking is None:
        if effort == "none":
            return ThinkingPlan()
        raise _not_thinking_model(model)
    if isinstance(thinking, LevelThinking):
        if effort not in thinking.effort_levels:
            raise _effort_error(effort, list(thinking.effort_levels), model)
        return ThinkingPlan(level=thinking.effort_levels[effort])
    if effort == "none":
        return ThinkingPlan(budget=_checked_budget(model, thinking, 0))
    if effort not in EFFORT_BUDGETS:
        raise _effort_error(effort, [*EFFORT_BUDGETS, "none"], model)
    return ThinkingPlan(budget=EFFORT_BUDGETS[effort])


def _checked_budget(model: KnownModel, thinking: BudgetThinking, budget: int) -> int:
    if budget == 0 and not thinking.can_turn_off:
        raise invalid_argument("Budget 0 is invalid. This model only works in thinking mode.")
    if budget in (0, DYNAMIC_BUDGET) or thinking.budget_min <= budget <= thinking.budget_max:
        return budget
    raise invalid_argument(
        f"Budget {budget} is invalid. Please choose a value between {thinking.budget_min} "
        f"and {thinking.budget_max}."
    )


def _checked_level(model: KnownModel, thinking: LevelThinking, level: str) -> str:
    if level.lower() not in GEMINI_3_LEVELS:
        raise invalid_value(
            f"{CONFIG_AT}.thinking_level",
            "type.googleapis.com/google.ai.generativelanguage.v1beta.ThinkingConfig.ThinkingLevel",
            level,
        )
    if level.lower() not in thinking.levels:
        raise invalid_argument(
            f"Thinking level {level.upper()} is not supported for this model. "
            "Please retry with other thinking level"
        )
    return level.lower()


def _read_config(config: Any) -> tuple[Any, Any, bool]:
    if not isinstance(config, dict):
        raise invalid_value(CONFIG_AT, "TYPE_MESSAGE", config)
    for name in config:
        if name not in THINKING_CONFIG_FIELDS:
            raise unknown_field(name, at=CONFIG_AT)
    level, budget = config.get("thinking_level"), config.get("thinking_budget")
    include = config.get("include_thoughts", False)
    if not isinstance(include, bool):
        raise invalid_value(f"{CONFIG_AT}.include_thoughts", "TYPE_BOOL", include)
    if level is not None and not isinstance(level, str):
        raise invalid_value(f"{CONFIG_AT}.thinking_level", "TYPE_ENUM", level)
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int)):
        raise invalid_value(f"{CONFIG_AT}.thinking_budget", "TYPE_INT32", budget)
    if level is not None and budget is not None:
        raise invalid_argument(
            "thinking_level and thinking_budget cannot both be set: use thinking_level for "
            "Gemini 3 models and thinking_budget for Gemini 2.5 models."
        )
    return level, budget, include


def _plan_from_config(model: KnownModel, config: Any) -> ThinkingPlan:
    level, budget, include = _read_config(config)
    thinking = model.thinking
    if thinking is None:
        if include or level is not None or budget not in (None, 0):
            raise _not_thinking_model(model)
        return ThinkingPlan()
    if isinstance(thinking, LevelThinking):
        if budget is not None:
            raise invalid_argument(
                f"thinking_budget is not supported for {model.name}: Gemini 3 models take "
                "thinking_level (minimal, low, medium, high) instead."
            )
        chosen = thinking.default_level if level is None else _checked_level(model, thinking, level)
        return ThinkingPlan(level=chosen, include_thoughts=include)
    if level is not None:
        raise invalid_argument(
            f"thinking_level is not supported for {model.name}: Gemini 2.5 models take "
            "thinking_budget (a number of tokens, -1 for dynamic) instead."
        )
    if budget is None:
        budget = DYNAMIC_BUDGET if thinking.thinks_by_default else 0
    budget = _checked_budget(model, thinking, budget)
    return ThinkingPlan(budget=budget, include_thoughts=include and budget != 0)


def thinking_plan(model: KnownModel, *, effort: Any, config: Any) -> ThinkingPlan:
    """What the model will think, or Gemini's 400 for settings it refuses."""
    # Gemini refuses any thinking_config next to reasoning_effort, include_thoughts alone too.
    if effort is not None and config is not None:
        raise invalid_argument(BOTH_THINKING_SETTINGS)
    if effort is not None:
        return _plan_from_effort(model, effort)
    if config is not None:
        return _plan_from_config(model, config)
    if isinstance(model.thinking, LevelThinking):
        return ThinkingPlan(level=model.thinking.default_level)
    if isinstance(model.thinking, BudgetThinking) and model.thinking.thinks_by_default:
        return ThinkingPlan(budget=DYNAMIC_BUDGET)
    return ThinkingPlan()


def thinking_tokens(plan: ThinkingPlan, *, rng: random.Random, question_tokens: int) -> int:
    """How many tokens this reply "thought": grows with level or budget, capped by the budget."""
    if not plan.enabled:
        return 0
    # Harder-looking (longer) questions make the model think up to half as long again.
    weight = 1 + min(question_tokens, 400) / 800
    if plan.level is not None:
        low, high = LEVEL_TOKENS[plan.level]
        return round(rng.uniform(low, high) * weight)
    if plan.budget == DYNAMIC_BUDGET:
        return round(rng.uniform(*DYNAMIC_TOKENS) * weight)
    assert plan.budget is not None
    return min(plan.budget, round(plan.budget * rng.uniform(0.45, 0.8) * weight))
