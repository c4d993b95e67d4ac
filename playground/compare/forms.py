"""The compare page's forms: used by the socket consumer and the plain HTTP fallback alike.

A pane is the run settings form restricted to what a pane offers, plus one "Reasoning" choice
that says which reasoning control is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from playground.llm import bare_model_id, provider_shown
from playground.runs.forms import ModelChoices, PromptForm, RunSettingsForm
from playground.runs.reasoning import REASONING_MODES, ReasoningControls, reasoning_controls
from playground.runs.settings import RunSettings
from playground.runs.tool_settings import ToolListField, tool_choice_problem

MAX_PANES = 8
MAX_RUNS_PER_PANE = 10
PANE_PREFIX = "pane"
SERVICE_TIERS = (("default", "default"), ("flex", "flex"), ("priority", "priority"))
# The field each reasoning mode reads, where its errors are shown.
MODE_FIELD = {"effort": "reasoning_effort", "level": "thinking_level", "budget": "thinking_budget"}


class CompareForm(PromptForm):
    """What every pane shares: the prompt, the system prompt and the attached files."""

    blank_prompt = "Type a prompt first."

    system_prompt = forms.CharField(
        required=False, max_length=20_000, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # One tools list and tool_choice for every pane (the page shows the shared tools editor).
    tools = ToolListField(required=False)
    tool_choice = forms.CharField(required=False, max_length=80, label="tool_choice")
    # Thinking time and tokens vary from run to run: repeats show how much.
    runs_per_pane = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_RUNS_PER_PANE, initial=1,
        label="Runs per pane",
    )  # fmt: skip

    def __init__(self, *args: Any, user: AbstractBaseUser | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_runs_per_pane(self) -> int:
        return self.cleaned_data.get("runs_per_pane") or 1

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        choice = cleaned["tool_choice"] = cleaned.get("tool_choice") or "auto"
        if "tools" in cleaned:
            names = [tool["function"]["name"] for tool in cleaned["tools"]]
            if problem := tool_choice_problem(choice, names):
                self.add_error("tool_choice", problem)
        return cleaned


class PaneForm(RunSettingsForm):
    """One pane's settings; blank means "the model's default"."""

    fields_kept = (
        "provider", "model", "reasoning_effort", "thinking_level", "thinking_budget",
        "include_thoughts", "temperature", "seed", "service_tier",
    )  # fmt: skip
    reasoning_mode = forms.ChoiceField(
        choices=REASONING_MODES, initial="default", label="Reasoning"
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["include_thoughts"].label = "Thought summary"
        self.fields["include_thoughts"].initial = False
        self.fields["service_tier"] = forms.ChoiceField(
            required=False, choices=SERVICE_TIERS, initial="default", label="Service tier"
        )
        for name in MODE_FIELD.values():
            self.fields[name].required = False
        # Every pane is checked, even one left at its defaults.
        self.empty_permitted = False

    def _clean_thinking(self, model: str, cleaned: dict[str, Any]) -> None:
        """Only the control the mode names is kept; it must be set."""
        field = MODE_FIELD.get(cleaned.get("reasoning_mode") or "default")
        chosen = dict.fromkeys(MODE_FIELD.values())
        if field is not None:
            value = cleaned.get(field)
            if value in (None, "") and field not in self.errors:
                self.add_error(field, f"Pick a {field}, or set Reasoning to Model default.")
            chosen[field] = None if value == "" else value
        cleaned.update(chosen)
        if not self.errors:
            super()._clean_thinking(model, cleaned)

    def thinking_error_field(self) -> str | None:
        return MODE_FIELD.get(self.cleaned_data.get("reasoning_mode") or "default")

    def settings(self, **overrides: Any) -> RunSettings:
        tier = self.cleaned_data.get("service_tier")
        # "default" is what Gemini does when nothing is sent; only a change is sent.
        return super().settings(
            service_tier=tier if tier in {"flex", "priority"} else None, **overrides
        )

    def current_model(self) -> str:
        value = self["model"].value()
        return str(value or "").strip()

    def options(self) -> ReasoningControls:
        return reasoning_controls(
            bare_model_id(self.current_model()), gemini=self.target_provider.is_gemini
        )

    def summary_line(self) -> str:
        """The pane's settings in a few words for its header ("2.5-flash · effort low"), from
        what the form shows, typed or not."""
        values = {name: self[name].value() for name in PANE_FIELDS}
        values["model"] = bare_model_id(self.current_model()).removeprefix("gemini-")
        values["temperature"] = _number_or_none(values.get("temperature"), float)
        values["seed"] = _number_or_none(values.get("seed"), int)
        values["thinking_budget"] = _number_or_none(values.get("thinking_budget"), int)
        if values.get("reasoning_mode") == "budget" and values["thinking_budget"] is None:
            values["reasoning_mode"] = "default"
        return pane_label(values)


def _number_or_none(value: Any, kind: type[float] | type[int]) -> float | int | None:
    try:
        return None if value in (None, "") else kind(value)
    except (TypeError, ValueError):
        return None


PANE_FIELDS = (*PaneForm.fields_kept, "reasoning_mode")


class BasePaneFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return dict(self.form_kwargs)


PaneFormSet = forms.formset_factory(
    PaneForm,
    formset=BasePaneFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_PANES,
    absolute_max=MAX_PANES,
    validate_min=True,
    validate_max=True,
)


def pane_formset(
    *,
    model_choices: ModelChoices,
    data: Mapping[str, Any] | None = None,
    initial: list[dict[str, Any]] | None = None,
) -> forms.BaseFormSet:
    return PaneFormSet(
        data=data, initial=initial, prefix=PANE_PREFIX, form_kwargs={"model_choices": model_choices}
    )


def pane_label(settings: Mapping[str, Any]) -> str:
    """A short name for a pane, from what makes it different."""
    parts = [str(settings.get("model") or "?")]
    # Which endpoint answers is what sets mixed panes apart (shown only with several).
    if provider := provider_shown(str(settings.get("provider") or "")):
        parts.insert(0, provider)
    mode = settings.get("reasoning_mode")
    if mode == "effort":
        parts.append(f"effort {settings.get('reasoning_effort')}")
    elif mode == "level":
        parts.append(f"level {settings.get('thinking_level')}")
    elif mode == "budget":
        budget = settings.get("thinking_budget")
        parts.append("budget dynamic" if budget == -1 else f"budget {budget:,}")
    if settings.get("temperature") is not None:
        parts.append(f"T {settings['temperature']:g}")
    if settings.get("seed") is not None:
        parts.append(f"seed {settings['seed']}")
    if settings.get("service_tier") not in (None, "", "default"):
        parts.append(str(settings["service_tier"]))
    return " · ".join(parts)


def raw_panes(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The panes as the page last showed them, unvalidated: for adding, removing, presets."""
    try:
        count = int(data.get(f"{PANE_PREFIX}-TOTAL_FORMS") or 0)
    except (TypeError, ValueError):
        count = 0
    panes = []
    for index in range(max(0, min(count, MAX_PANES))):
        pane = {name: data.get(f"{PANE_PREFIX}-{index}-{name}") for name in PANE_FIELDS}
        pane["include_thoughts"] = bool(pane["include_thoughts"])
        if pane["model"]:
            panes.append(pane)
    return panes
