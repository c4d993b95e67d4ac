"""The seed page's reasoning table, model by model, and the pieces replies are cut from."""

from __future__ import annotations

import pytest

from playground.emulator.known_models import model_find
from playground.emulator.replies import cut_answer
from playground.emulator.thinking import ThinkingPlan, thinking_plan
from playground.emulator.tokens import split_tokens

# reasoning_effort -> (3.1 Pro level, 3.1 Flash-Lite level, 3 Flash level, 2.5 budget)
SEED_TABLE = {
    "minimal": ("low", "minimal", "minimal", 1024),
    "low": ("low", "low", "low", 1024),
    "medium": ("medium", "medium", "medium", 8192),
    "high": ("high", "high", "high", 24576),
}


@pytest.mark.parametrize("effort", list(SEED_TABLE))
def test_it_maps_reasoning_effort_as_the_seed_table_does(effort: str) -> None:
    pro, flash_lite, flash, budget = SEED_TABLE[effort]

    def plan(model: str) -> ThinkingPlan:
        known = model_find(model)
        assert known is not None
        return thinking_plan(known, effort=effort, config=None)

    assert plan("gemini-3.1-pro-preview") == ThinkingPlan(level=pro)
    assert plan("gemini-3.1-flash-lite-preview") == ThinkingPlan(level=flash_lite)
    assert plan("gemini-3-flash-preview") == ThinkingPlan(level=flash)
    for model in ("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"):
        assert plan(model) == ThinkingPlan(budget=budget)


def test_it_finds_models_by_bare_prefixed_and_encoded_names() -> None:
    names = ["gemini-2.5-flash", "models/gemini-2.5-flash", "models%2Fgemini-2.5-flash"]

    assert {model_find(name) for name in names} == {model_find("gemini-2.5-flash")}
    assert model_find("gemini-2.5-flash") is not None
    assert model_find("models/gemini-1.0-pro") is None


@pytest.mark.parametrize(
    "text",
    ["Hello, world!", "It\u2019s don't\n\n```python\nx = 1\n```\n", "  lead and trail  ", ""],
)
def test_it_splits_text_into_tokens_that_join_back(text: str) -> None:
    assert "".join(split_tokens(text)) == text


def test_it_cuts_at_the_earliest_stop_sequence() -> None:
    text = "one two three four five"

    assert cut_answer(text, stop=("four", "two"), max_tokens=None) == ("one ", "stop")
    assert cut_answer(text, stop=("four",), max_tokens=2) == ("one two", "length")
    assert cut_answer(text, stop=("nowhere",), max_tokens=5) == (text, "stop")
