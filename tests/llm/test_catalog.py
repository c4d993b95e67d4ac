from __future__ import annotations

import pytest

from playground.llm.catalog import (
    EFFORTS,
    bare_model_id,
    capabilities_of,
    effort_meaning,
    family_of,
    reasoning_table,
    thinking_refusal,
)
from tests.llm.recordings import text_of

# Google's table (seed page 004): reasoning_effort -> level or budget, per family.
SEED_TABLE = {
    "minimal": {"3.1-pro": "low", "3.1-flash-lite": "minimal", "3-flash": "minimal", "2.5": 1024},
    "low": {"3.1-pro": "low", "3.1-flash-lite": "low", "3-flash": "low", "2.5": 1024},
    "medium": {"3.1-pro": "medium", "3.1-flash-lite": "medium", "3-flash": "medium", "2.5": 8192},
    "high": {"3.1-pro": "high", "3.1-flash-lite": "high", "3-flash": "high", "2.5": 24576},
}
MODELS = {
    "3.1-pro": ["gemini-3.1-pro-preview", "models/gemini-3.1-pro-preview-customtools"],
    "3.1-flash-lite": ["gemini-3.1-flash-lite-preview", "gemini-3.1-flash-lite"],
    "3-flash": ["gemini-3-flash-preview", "models/gemini-3-flash-preview"],
    "2.5": [
        "gemini-2.5-pro",
        "gemini-2.5-flash",
        "gemini-2.5-flash-lite",
        "gemini-2.5-flash-lite-preview-09-2025",
    ],
}
SEED_CASES = [
    (effort, model, SEED_TABLE[effort][column])
    for effort in SEED_TABLE
    for column, models in MODELS.items()
    for model in models
]


def test_it_strips_the_models_prefix() -> None:
    assert bare_model_id("models/gemini-2.5-flash") == "gemini-2.5-flash"
    assert bare_model_id("gemini-2.5-flash") == "gemini-2.5-flash"


@pytest.mark.parametrize(("effort", "model", "setting"), SEED_CASES)
def test_every_cell_of_the_seed_table(effort: str, model: str, setting: str | int) -> None:
    family = family_of(model)
    assert family is not None
    assert family.effort_map[effort] == setting
    bare = bare_model_id(model)
    if isinstance(setting, str):
        assert family.thinking_style == "level"
        assert effort_meaning(model, effort) == f"{effort} on {bare} = thinking level {setting}"
    else:
        assert family.thinking_style == "budget"
        assert (
            effort_meaning(model, effort)
            == f"{effort} on {bare} = {setting:,}-token thinking budget"
        )


@pytest.mark.parametrize(
    ("model", "family_key"),
    [
        ("gemini-3.1-pro-preview", "gemini-3.1-pro"),
        ("gemini-3-pro-preview", "gemini-3-pro"),
        ("gemini-3-flash-preview", "gemini-3-flash"),
        ("gemini-3.1-flash-lite-preview", "gemini-3.1-flash-lite"),
        ("gemini-2.5-pro-preview-05-06", "gemini-2.5-pro"),
        ("models/gemini-2.5-flash", "gemini-2.5-flash"),
        ("gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash"),
        ("gemini-2.5-flash-lite", "gemini-2.5-flash-lite"),
        ("gemini-2.0-flash", "gemini-2.0-flash"),
        ("gemini-2.0-flash-lite-001", "gemini-2.0-flash"),
        ("gemini-2.5-flash-image", "image"),
        ("gemini-2.5-flash-image-preview", "image"),
        ("gemini-3-pro-image-preview", "image"),
        ("imagen-4.0-generate-001", "image"),
        ("veo-3.1-generate-preview", "video"),
        ("gemini-embedding-001", "embeddings"),
        ("models/text-embedding-004", "embeddings"),
    ],
)
def test_it_finds_the_most_specific_family(model: str, family_key: str) -> None:
    family = family_of(model)

    assert family is not None and family.key == family_key


@pytest.mark.parametrize(
    "model",
    [
        "gpt-4o",
        "llama3.2",
        "gemini-1.5-pro",
        "gemini-2.5-flash-preview-tts",
        "gemini-2.5-flash-native-audio-latest",
    ],
)
def test_unknown_models_have_no_family_and_no_capabilities(model: str) -> None:
    assert family_of(model) is None
    assert capabilities_of(model) == frozenset()
    assert reasoning_table(model) == ()


def test_capabilities_follow_the_family() -> None:
    assert capabilities_of("gemini-2.5-flash") == {"chat", "thinking"}
    assert capabilities_of("gemini-2.0-flash") == {"chat"}
    assert capabilities_of("gemini-2.5-flash-image") == {"image_generation"}
    assert capabilities_of("veo-3.0-generate-001") == {"video_generation"}
    assert capabilities_of("gemini-embedding-001") == {"embeddings"}


def test_every_listed_gemini_2_0_chat_model_is_chat_only() -> None:
    listed = text_of("models_list_ids_cookbook_2025-02.txt").split()
    flash_2_0 = [m for m in listed if m.startswith("models/gemini-2.0-flash")]

    assert flash_2_0
    assert all(capabilities_of(model) == {"chat"} for model in flash_2_0)


def test_only_2_5_flash_and_flash_lite_can_turn_thinking_off() -> None:
    assert effort_meaning("gemini-2.5-flash", "none") == "none on gemini-2.5-flash = thinking off"
    assert (
        effort_meaning("gemini-2.5-flash-lite", "none")
        == "none on gemini-2.5-flash-lite = thinking off"
    )
    assert effort_meaning("gemini-2.5-pro", "none") == "gemini-2.5-pro cannot turn thinking off"
    for model in [
        "gemini-3-flash-preview",
        "gemini-3.1-pro-preview",
        "gemini-3.1-flash-lite-preview",
    ]:
        assert effort_meaning(model, "none") == f"{model} cannot turn thinking off"


def test_older_gemini_3_pro_takes_low_and_high_only() -> None:
    family = family_of("gemini-3-pro-preview")

    assert family is not None
    assert family.accepted_efforts == ("low", "high")
    assert family.thinking_levels == ("low", "high")
    assert (
        effort_meaning("gemini-3-pro-preview", "high")
        == "high on gemini-3-pro-preview = thinking level high"
    )
    assert (
        effort_meaning("gemini-3-pro-preview", "medium")
        == "gemini-3-pro-preview does not take medium (it takes low, high)"
    )


def test_accepted_efforts_per_family() -> None:
    def accepted(model: str) -> tuple[str, ...]:
        family = family_of(model)
        assert family is not None
        return family.accepted_efforts

    assert accepted("gemini-3.1-pro-preview") == ("minimal", "low", "medium", "high")
    assert accepted("gemini-3-flash-preview") == ("minimal", "low", "medium", "high")
    assert accepted("gemini-3.1-flash-lite-preview") == ("minimal", "low", "medium", "high")
    assert accepted("gemini-2.5-pro") == ("minimal", "low", "medium", "high")
    assert accepted("gemini-2.5-flash") == EFFORTS
    assert accepted("gemini-2.5-flash-lite") == EFFORTS


def test_thinking_levels_per_family() -> None:
    def levels(model: str) -> tuple[str, ...]:
        family = family_of(model)
        assert family is not None
        return family.thinking_levels

    assert levels("gemini-3.1-pro-preview") == ("low", "medium", "high")
    assert levels("gemini-3-flash-preview") == ("minimal", "low", "medium", "high")
    assert levels("gemini-3.1-flash-lite-preview") == ("minimal", "low", "medium", "high")
    assert levels("gemini-2.5-flash") == ()


@pytest.mark.parametrize(
    ("model", "accepted", "refused"),
    [
        ("gemini-2.5-pro", [-1, 128, 32768], [0, 127, 32769]),
        ("gemini-2.5-flash", [-1, 0, 1, 24576], [24577, -2]),
        ("gemini-2.5-flash-lite", [-1, 0, 512, 24576], [1, 511, 24577]),
    ],
)
def test_budget_ranges_of_2_5(model: str, accepted: list[int], refused: list[int]) -> None:
    family = family_of(model)
    assert family is not None and family.budget_range is not None

    assert all(family.budget_range.accepts(budget) for budget in accepted)
    assert not any(family.budget_range.accepts(budget) for budget in refused)


def test_the_reasoning_table_lists_every_effort_in_order() -> None:
    rows = reasoning_table("gemini-2.5-pro")

    assert [row.effort for row in rows] == list(EFFORTS)
    assert [row.accepted for row in rows] == [False, True, True, True, True]
    assert rows[0].reason == "gemini-2.5-pro cannot turn thinking off"
    assert rows[3].meaning == "medium on gemini-2.5-pro = 8,192-token thinking budget"


def test_models_that_do_not_think_have_no_reasoning_table() -> None:
    assert reasoning_table("gemini-2.0-flash") == ()
    assert effort_meaning("gemini-2.0-flash", "low") == "gemini-2.0-flash does not think"


def test_it_refuses_settings_gemini_would_refuse() -> None:
    assert (
        thinking_refusal("gemini-2.5-pro", thinking_budget=0)
        == "gemini-2.5-pro cannot turn thinking off (budget 0)"
    )
    assert "32,768" in (thinking_refusal("gemini-2.5-pro", thinking_budget=40000) or "")
    assert thinking_refusal("gemini-3-pro-preview", thinking_level="medium") is not None
    assert thinking_refusal("gemini-3-flash-preview", thinking_budget=1024) == (
        "gemini-3-flash-preview takes a thinking level, not a thinking budget"
    )
    assert thinking_refusal("gemini-2.5-flash", thinking_level="low") is not None
    assert (
        thinking_refusal("gemini-2.5-flash", reasoning_effort="low", thinking_budget=1024)
        is not None
    )
    assert (
        thinking_refusal("gemini-2.0-flash", reasoning_effort="low")
        == "gemini-2.0-flash does not think"
    )


def test_it_accepts_settings_gemini_accepts() -> None:
    assert thinking_refusal("gemini-2.5-flash", reasoning_effort="none") is None
    assert thinking_refusal("gemini-2.5-flash-lite", thinking_budget=0) is None
    assert thinking_refusal("gemini-2.5-pro", thinking_budget=-1) is None
    assert thinking_refusal("gemini-3.1-pro-preview", thinking_level="medium") is None
    assert thinking_refusal("gemini-2.0-flash") is None


def test_it_has_no_opinion_on_models_it_does_not_know() -> None:
    assert thinking_refusal("llama3.2", reasoning_effort="high") is None
    assert "not in the catalog" in effort_meaning("llama3.2", "high")
