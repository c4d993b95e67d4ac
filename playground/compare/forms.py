"""The compare page's forms: used by the socket consumer and the plain HTTP fallback alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from playground.chat.forms import MODEL_ID, AttachmentIdsField
from playground.chat.tool_settings import ToolListField, tool_choice_problem
from playground.llm.catalog import EFFORTS, bare_model_id, family_of, thinking_refusal
from playground.media.models import Attachment
from playground.media.selectors import attachments_owned

MAX_PANES = 8
PANE_PREFIX = "pane"
MAX_PROMPT_CHARS = 100_000
THINKING_LEVELS = ("minimal", "low", "medium", "high")
MAX_THINKING_BUDGET = 32_768
REASONING_MODES = (
    ("default", "Model default"),
    ("effort", "reasoning_effort"),
    ("level", "thinking_level"),
    ("budget", "thinking_budget"),
)
SERVICE_TIERS = (("default", "default"), ("flex", "flex"), ("priority", "priority"))
SAMPLING_FIELDS = ("temperature", "seed", "service_tier")
# The field each reasoning mode reads, where its errors are shown.
MODE_FIELD = {"effort": "reasoning_effort", "level": "thinking_level", "budget": "thinking_budget"}


@dataclass(frozen=True)
class ReasoningOptions:
    """What a pane's reasoning controls offer for its model; unknown models get everything."""

    known: bool
    thinks: bool
    modes: tuple[tuple[str, str], ...]
    efforts: tuple[str, ...]
    levels: tuple[str, ...]
    budget_hint: str
    default_thinking: str


def reasoning_options(model: str) -> ReasoningOptions:
    family = family_of(model) if model else None
    if family is None:
        return ReasoningOptions(
            known=False, thinks=True, modes=REASONING_MODES, efforts=EFFORTS,
            levels=THINKING_LEVELS, budget_hint="any number, -1 for dynamic",
            default_thinking="not in the catalog: the endpoint decides",
        )  # fmt: skip
    if not family.thinks:
        return ReasoningOptions(True, False, REASONING_MODES[:1], (), (), "", "does not think")
    levels = family.thinking_levels if family.thinking_style == "level" else ()
    hint = family.budget_range.describe() if family.budget_range else ""
    wanted = {"default", "effort", "level" if levels else "", "budget" if hint else ""}
    return ReasoningOptions(
        known=True,
        thinks=True,
        modes=tuple(mode for mode in REASONING_MODES if mode[0] in wanted),
        efforts=family.accepted_efforts,
        levels=levels,
        budget_hint=hint,
        default_thinking=family.default_thinking,
    )


def clean_model_id(model: str, model_choices: list[str]) -> str:
    model = model.strip()
    if not MODEL_ID.match(model):
        raise forms.ValidationError("That is not a model id (e.g. gemini-2.5-flash).")
    bare = bare_model_id(model)
    known = {bare_model_id(choice) for choice in model_choices}
    if known and bare not in known:
        raise forms.ValidationError(f"{bare} is not a chat model of this provider.")
    return bare


class CompareForm(forms.Form):
    """What every pane shares: the prompt, the system prompt and the attached files."""

    prompt = forms.CharField(
        required=False, max_length=MAX_PROMPT_CHARS, strip=False, widget=forms.Textarea
    )
    system_prompt = forms.CharField(
        required=False, max_length=20_000, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = AttachmentIdsField(required=False)
    # One tools list and tool_choice for every pane (the page shows chat's tools editor).
    tools = ToolListField(required=False)
    tool_choice = forms.CharField(required=False, max_length=80, label="tool_choice")

    def __init__(self, *args: Any, user: AbstractBaseUser | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_attachments(self) -> list[Attachment]:
        """The sender's own uploads (cleaning reads the database: call it off the event loop)."""
        ids = self.cleaned_data["attachments"]
        if not ids:
            return []
        owned = attachments_owned(owner=self.user, attachment_ids=ids) if self.user else []
        if len(owned) != len(ids):
            raise forms.ValidationError(
                "An attachment is no longer available (it was removed). Attach it again."
            )
        return owned

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("prompt", "").strip() and not cleaned.get("attachments"):
            self.add_error("prompt", "Type a prompt first.")
        choice = cleaned["tool_choice"] = cleaned.get("tool_choice") or "auto"
        if "tools" in cleaned:
            names = [tool["function"]["name"] for tool in cleaned["tools"]]
            if problem := tool_choice_problem(choice, names):
                self.add_error("tool_choice", problem)
        return cleaned


class PaneForm(forms.Form):
    """One pane's settings; blank means "the model's default"."""

    model = forms.CharField(max_length=140)
    reasoning_mode = forms.ChoiceField(
        choices=REASONING_MODES, initial="default", label="Reasoning"
    )
    reasoning_effort = forms.ChoiceField(
        required=False, choices=[("", "—"), *((e, e) for e in EFFORTS)], label="reasoning_effort"
    )
    thinking_level = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *((level, level) for level in THINKING_LEVELS)],
        label="thinking_level",
    )
    thinking_budget = forms.IntegerField(
        required=False, min_value=-1, max_value=MAX_THINKING_BUDGET, label="thinking_budget"
    )
    include_thoughts = forms.BooleanField(required=False, label="Thought summary")
    temperature = forms.FloatField(required=False, min_value=0.0, max_value=2.0)
    seed = forms.IntegerField(required=False, min_value=-(2**31), max_value=2**31 - 1)
    service_tier = forms.ChoiceField(
        required=False, choices=SERVICE_TIERS, initial="default", label="Service tier"
    )

    def __init__(self, *args: Any, model_choices: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.model_choices = model_choices or []
        # Every pane is checked, even one left at its defaults.
        self.empty_permitted = False

    def clean_model(self) -> str:
        return clean_model_id(self.cleaned_data["model"], self.model_choices)

    def clean_service_tier(self) -> str:
        return self.cleaned_data["service_tier"] or "default"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        mode = cleaned.get("reasoning_mode") or "default"
        chosen = {name: None for name in MODE_FIELD.values()}
        field = MODE_FIELD.get(mode)
        if field is not None:
            value = cleaned.get(field)
            if value in (None, "") and field not in self.errors:
                self.add_error(field, f"Pick a {field}, or set Reasoning to Model default.")
            chosen[field] = None if value == "" else value
        cleaned.update(chosen)
        model = cleaned.get("model")
        if model is None or self.errors:
            return cleaned
        refusal = thinking_refusal(
            model,
            reasoning_effort=chosen["reasoning_effort"],
            thinking_level=chosen["thinking_level"],
            thinking_budget=chosen["thinking_budget"],
        )
        if refusal:
            self.add_error(field, refusal[0].upper() + refusal[1:] + ".")
        # Gemini takes no thinking_config next to reasoning_effort, and a model that does not
        # think has nothing to summarise.
        cleaned["include_thoughts"] = bool(
            cleaned.get("include_thoughts") and mode != "effort" and reasoning_options(model).thinks
        )
        return cleaned

    def pane_settings(self) -> dict[str, Any]:
        """The cleaned settings as JSON-able values: stored per pane, replayed by "run again"."""
        names = ("model", "reasoning_mode", *MODE_FIELD.values(), "include_thoughts")
        return {name: self.cleaned_data.get(name) for name in (*names, *SAMPLING_FIELDS)}

    def current_model(self) -> str:
        value = self["model"].value()
        return str(value or "").strip()

    def options(self) -> ReasoningOptions:
        return reasoning_options(bare_model_id(self.current_model()))


PANE_FIELDS = tuple(PaneForm.base_fields)


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
    model_choices: list[str],
    data: Mapping[str, Any] | None = None,
    initial: list[dict[str, Any]] | None = None,
) -> forms.BaseFormSet:
    return PaneFormSet(
        data=data, initial=initial, prefix=PANE_PREFIX, form_kwargs={"model_choices": model_choices}
    )


def pane_label(settings: Mapping[str, Any]) -> str:
    """A short name for a pane, from what makes it different."""
    parts = [str(settings.get("model") or "?")]
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
