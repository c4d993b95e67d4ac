from __future__ import annotations

import pytest

from playground.compare.forms import PaneForm, pane_label
from playground.compare.presets import preset_budgets, preset_efforts, preset_models
from playground.llm.runspec import Message

MODELS = ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-3-flash-preview", "gemini-2.0-flash"]
BASE = {"temperature": 0.2, "seed": 5, "service_tier": "flex", "include_thoughts": True}


def pane(**data: object) -> PaneForm:
    values = {"model": "gemini-2.5-flash", "reasoning_mode": "default", "service_tier": "default"}
    values.update({key: str(value) for key, value in data.items()})
    return PaneForm(values, model_choices=MODELS)


def test_it_sends_reasoning_effort_alone_without_a_thinking_config():
    form = pane(reasoning_mode="effort", reasoning_effort="low", thinking_budget=512)
    assert form.is_valid(), form.errors
    spec = form.settings().to_spec([Message("user", "hi")])

    assert spec.request_body()["reasoning_effort"] == "low"
    assert "extra_body" not in spec.request_body(), "never reasoning_effort and thinking_config"


def test_an_effort_with_thought_summaries_is_sent_as_its_thinking_config():
    form = pane(reasoning_mode="effort", reasoning_effort="low", include_thoughts="on")
    assert form.is_valid(), form.errors
    wire = form.settings().to_spec([Message("user", "hi")]).request_body()

    assert "reasoning_effort" not in wire, "Gemini refuses effort next to a thinking_config"
    assert wire["extra_body"] == {
        "google": {"thinking_config": {"thinking_budget": 1024, "include_thoughts": True}}
    }


def test_it_sends_a_level_with_thought_summaries_in_extra_body():
    form = pane(
        model="gemini-3-flash-preview",
        reasoning_mode="level",
        thinking_level="minimal",
        reasoning_effort="high",
        include_thoughts="on",
        service_tier="priority",
    )
    assert form.is_valid(), form.errors
    spec = form.settings(system_prompt="Be brief.").to_spec([Message("user", "hi")])
    wire = spec.request_body()

    assert "reasoning_effort" not in wire and wire["service_tier"] == "priority"
    assert wire["extra_body"] == {
        "google": {"thinking_config": {"thinking_level": "minimal", "include_thoughts": True}}
    }
    assert [m["role"] for m in wire["messages"]] == ["system", "user"]


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"model": "gemini-3-flash-preview", "reasoning_mode": "effort",
          "reasoning_effort": "none"}, "reasoning_effort", "cannot turn thinking off"),
        ({"model": "gemini-2.5-pro", "reasoning_mode": "budget", "thinking_budget": 0},
         "thinking_budget", "cannot turn thinking off (budget 0)"),
        ({"model": "gemini-2.5-flash", "reasoning_mode": "level", "thinking_level": "low"},
         "thinking_level", "takes a thinking budget, not a thinking level"),
        ({"model": "gemini-2.0-flash", "reasoning_mode": "effort", "reasoning_effort": "low"},
         "reasoning_effort", "does not think"),
        ({"model": "gemini-2.5-flash", "reasoning_mode": "budget"},
         "thinking_budget", "Pick a thinking_budget"),
        ({"model": "gemini-9-unknown"}, "model", "not a chat model of this provider"),
        ({"service_tier": "turbo"}, "service_tier", "Select a valid choice"),
        ({"seed": "1.5"}, "seed", "whole number"),
    ],
)  # fmt: skip
def test_it_explains_what_the_model_would_refuse(data, field, says):
    form = pane(**data)

    assert not form.is_valid()
    assert says in " ".join(form.errors[field])


def test_a_model_that_does_not_think_gets_no_thought_summary_request():
    form = pane(model="gemini-2.0-flash", include_thoughts="on")
    assert form.is_valid()

    assert form.settings().to_spec([]).include_thoughts is False


def test_labels_name_what_makes_a_pane_different():
    assert pane_label({"model": "gemini-2.5-flash", "reasoning_mode": "budget",
                       "thinking_budget": 24576, "temperature": 1.0, "service_tier": "flex"}) == (
        "gemini-2.5-flash · budget 24,576 · T 1 · flex"
    )  # fmt: skip
    assert pane_label({"model": "m", "reasoning_mode": "budget", "thinking_budget": -1}) == (
        "m · budget dynamic"
    )


@pytest.mark.parametrize(
    ("model", "efforts"),
    [
        ("gemini-2.5-flash", ["none", "minimal", "low", "medium", "high"]),
        ("gemini-2.5-pro", ["minimal", "low", "medium", "high"]),
        ("gemini-3-pro-preview", ["low", "high"]),
        ("gemini-3-flash-preview", ["minimal", "low", "medium", "high"]),
    ],
)
def test_the_levels_preset_offers_only_what_the_model_accepts(model, efforts):
    result = preset_efforts(model, send_as="effort", base=BASE)

    assert [p["reasoning_effort"] for p in result.panes] == efforts
    assert all(p["include_thoughts"] is False and p["seed"] == 5 for p in result.panes)
    assert len(result.notes) == 5 - len(efforts)
    for form_data in result.panes:
        form = PaneForm({f: v for f, v in form_data.items() if v is not None}, model_choices=[])
        assert form.is_valid(), form.errors


def test_the_levels_preset_can_send_googles_equivalent_thinking_config():
    result = preset_efforts("gemini-3.1-pro-preview", send_as="config", base=BASE)

    assert [p["thinking_level"] for p in result.panes] == ["low", "low", "medium", "high"]
    assert all(p["reasoning_mode"] == "level" and p["include_thoughts"] for p in result.panes)


def test_the_budgets_preset_sweeps_zero_to_24k_where_the_model_allows():
    assert [p["thinking_budget"] for p in preset_budgets("gemini-2.5-flash", base=BASE).panes] == [
        0, 1024, 8192, 24576,
    ]  # fmt: skip
    pro = preset_budgets("gemini-2.5-pro", base=BASE)
    assert [p["thinking_budget"] for p in pro.panes] == [1024, 8192, 24576]
    assert pro.notes == [
        "Not offered: budget 0 (gemini-2.5-pro takes 128 to 32,768 or -1 (dynamic))"
    ]


def test_the_models_preset_caps_at_eight_panes():
    result = preset_models([f"gemini-2.5-flash-{n}" for n in range(10)], effort="low", base=BASE)

    assert len(result.panes) == 8 and len(result.notes) == 2


def test_a_pane_form_copies_only_the_fields_it_keeps(monkeypatch):
    """Django deep-copies a form's fields for each form built; a pane dropped all but nine of
    the run settings after copying all 24 (a run builds eight, before its requests leave)."""
    from django import forms

    copied: list[str] = []
    copy_field = forms.Field.__deepcopy__

    def counting(field, memo):
        copied.append(type(field).__name__)
        return copy_field(field, memo)

    monkeypatch.setattr(forms.Field, "__deepcopy__", counting)
    form = pane(reasoning_mode="effort", reasoning_effort="low")

    assert form.is_valid(), form.errors
    assert set(form.fields) == {*PaneForm.fields_kept, "reasoning_mode"}
    assert len(copied) == len(form.fields)
