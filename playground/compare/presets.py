"""Quick ways to fill the panes: a sweep of one axis, offering only what each model accepts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms

from playground.compare.forms import MAX_PANES, PANE_FIELDS
from playground.llm import EFFORTS, bare_model_id, family_of, reasoning_row
from playground.runs.reasoning import reasoning_controls

SWEEP_BUDGETS = (0, 1024, 8192, 24576)
PRESETS = (
    ("efforts", "All reasoning levels of this model"),
    ("models", "These models at one level"),
    ("budgets", "Thinking budgets 0 / 1k / 8k / 24k"),
)
SEND_AS = (
    ("effort", "as reasoning_effort (no thought summaries)"),
    ("config", "as the equivalent thinking_config, with thought summaries"),
)


@dataclass
class PresetResult:
    panes: list[dict[str, Any]]
    # What was left out, and why, in the catalog's words.
    notes: list[str] = field(default_factory=list)


class PresetForm(forms.Form):
    preset = forms.ChoiceField(choices=PRESETS)
    preset_model = forms.CharField(required=False, max_length=140, label="Model")
    preset_models = forms.MultipleChoiceField(required=False, label="Models")
    preset_effort = forms.ChoiceField(
        required=False,
        choices=[("", "Model default"), *((e, e) for e in EFFORTS)],
        label="reasoning_effort",
    )
    preset_send_as = forms.ChoiceField(
        required=False, choices=SEND_AS, initial="effort", label="Send"
    )

    def __init__(self, *args: Any, model_choices: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.model_choices = model_choices or []
        self.fields["preset_models"].choices = [(m, m) for m in self.model_choices]

    def clean_preset_model(self) -> str:
        return bare_model_id(self.cleaned_data["preset_model"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        preset = cleaned.get("preset")
        if preset in {"efforts", "budgets"} and not cleaned.get("preset_model"):
            self.add_error("preset_model", "Pick the model to sweep.")
        if preset == "models" and not cleaned.get("preset_models"):
            self.add_error("preset_models", "Tick at least one model.")
        return cleaned


def base_settings(panes: list[dict[str, Any]]) -> dict[str, Any]:
    """What a preset keeps from the first pane: sampling settings and thought summaries."""
    first = panes[0] if panes else {}
    return {
        "temperature": first.get("temperature"),
        "seed": first.get("seed"),
        "service_tier": first.get("service_tier") or "default",
        "include_thoughts": first.get("include_thoughts", True),
    }


def _pane(base: Mapping[str, Any], model: str, **reasoning: Any) -> dict[str, Any]:
    pane = dict.fromkeys(PANE_FIELDS)
    pane.update(base, model=model, reasoning_mode="default")
    pane.update(reasoning)
    if pane["reasoning_mode"] == "effort":
        pane["include_thoughts"] = False
    return pane


def preset_efforts(model: str, *, send_as: str, base: Mapping[str, Any]) -> PresetResult:
    family = family_of(model)
    if family is None:
        panes = [_pane(base, model, reasoning_mode="effort", reasoning_effort=e) for e in EFFORTS]
        note = f"{model} is not in the catalog: every level is offered and the endpoint decides."
        return PresetResult(panes, [note])
    if not family.thinks:
        return PresetResult(
            [], [f"{model} does not think: there are no reasoning levels to sweep."]
        )
    left_out = [
        f"Not offered: {effort} ({reasoning_row(model, effort).reason})"
        for effort in EFFORTS
        if effort not in family.accepted_efforts
    ]
    panes = []
    for effort in family.accepted_efforts:
        if send_as != "config":
            panes.append(_pane(base, model, reasoning_mode="effort", reasoning_effort=effort))
            continue
        # Google's table: what this effort means on this family, sent as thinking_config.
        value = family.effort_map[effort]
        if isinstance(value, str):
            reasoning = {"reasoning_mode": "level", "thinking_level": value}
        else:
            reasoning = {"reasoning_mode": "budget", "thinking_budget": value}
        panes.append(_pane(base, model, include_thoughts=True, **reasoning))
    return PresetResult(panes, left_out)


def preset_budgets(model: str, *, base: Mapping[str, Any]) -> PresetResult:
    family = family_of(model)
    if family is not None and (family.budget_range is None or not family.thinks):
        why = "does not think" if not family.thinks else "takes thinking levels, not budgets"
        return PresetResult([], [f"{model} {why}: try the reasoning levels preset instead."])
    panes, notes = [], []
    for budget in SWEEP_BUDGETS:
        if family is not None and family.budget_range and not family.budget_range.accepts(budget):
            takes = family.budget_range.describe()
            notes.append(f"Not offered: budget {budget:,} ({model} takes {takes})")
            continue
        panes.append(_pane(base, model, reasoning_mode="budget", thinking_budget=budget))
    return PresetResult(panes, notes)


def preset_models(models: list[str], *, effort: str, base: Mapping[str, Any]) -> PresetResult:
    panes, notes = [], []
    for model in models:
        bare = bare_model_id(model)
        if len(panes) == MAX_PANES:
            notes.append(f"Not offered: {bare} (at most {MAX_PANES} panes)")
        elif not effort:
            thinks = reasoning_controls(bare).thinks
            panes.append(_pane(base, bare, include_thoughts=base["include_thoughts"] and thinks))
        elif family_of(bare) is None or reasoning_row(bare, effort).accepted:
            panes.append(_pane(base, bare, reasoning_mode="effort", reasoning_effort=effort))
        else:
            notes.append(f"Not offered: {bare} ({reasoning_row(bare, effort).reason})")
    return PresetResult(panes, notes)


def preset_apply(form: PresetForm, *, current: list[dict[str, Any]]) -> PresetResult:
    """The panes a valid preset form asks for; the current panes stay when it yields none."""
    data = form.cleaned_data
    base = base_settings(current)
    match data["preset"]:
        case "efforts":
            send_as = data.get("preset_send_as") or "effort"
            result = preset_efforts(data["preset_model"], send_as=send_as, base=base)
        case "budgets":
            result = preset_budgets(data["preset_model"], base=base)
        case _:
            result = preset_models(
                data["preset_models"], effort=data.get("preset_effort") or "", base=base
            )
    if not result.panes:
        return PresetResult(current, [*result.notes, "The panes were left as they were."])
    return result
