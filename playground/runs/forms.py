"""The one settings form behind every run, its model field and the attachments field.

`RunSettingsForm.settings()` is the cleaned result as a `RunSettings`; chat's composer uses
every field, a compare pane a few of them (`fields_kept`). The socket and the plain HTTP views
validate with the same forms.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.html import format_html

from playground.catalog.fields import ModelField
from playground.catalog.provider_choice import ProviderPicking, provider_field
from playground.catalog.selectors import initial_model_id
from playground.llm import CHAT, EFFORTS, bare_model_id, configured_providers, thinking_refusal
from playground.media.models import Attachment
from playground.media.selectors import attachments_owned
from playground.runs.reasoning import THINKING_LEVELS
from playground.runs.settings import RunSettings
from playground.runs.tool_settings import (
    MAX_SCHEMA_CHARS,
    RESPONSE_FORMATS,
    ToolListField,
    schema_report,
    tool_choice_problem,
)

MAX_STOP_SEQUENCES = 5
MAX_PROMPT_CHARS = 100_000
MAX_ATTACHMENTS = 10
ATTACHMENT_ID = re.compile(r"^[0-9a-fA-F-]{32,36}$")
MAX_THINKING_BUDGET = 32_768
SERVICE_TIERS = (("", "Standard (not sent)"), ("default", "default"), ("flex", "flex"),
                 ("priority", "priority"))  # fmt: skip
CACHED_CONTENT = re.compile(r"^cachedContents/[A-Za-z0-9_-]{1,200}$")
# What each setting is called on the wire, shown in <code> beside its label in words.
API_NAMES = {
    "temperature": "temperature", "top_p": "top_p", "max_tokens": "max_tokens", "stop": "stop",
    "seed": "seed", "n": "n", "stream": "stream", "include_thoughts": "include_thoughts",
    "reasoning_effort": "reasoning_effort", "thinking_level": "thinking_level",
    "thinking_budget": "thinking_budget", "service_tier": "service_tier",
    "include_usage": "stream_options.include_usage", "cached_content": "cached_content",
    "extra_body": "extra_body", "tool_choice": "tool_choice",
    "response_format": "response_format", "response_schema": "json_schema.schema",
    "response_schema_name": "json_schema.name",
}  # fmt: skip
# A provider's model ids by its name; a bare list is the active provider's.
ModelChoices = list[str] | Mapping[str, list[str]]
BOTH_THINKING = (
    "reasoning_effort cannot go with a thinking_config in the extra_body JSON: Gemini refuses "
    "a request with both. Remove one of them."
)


def active_model_ids(choices: ModelChoices) -> list[str]:
    """The active provider's ids (listed first) from what the forms are given."""
    if isinstance(choices, Mapping):
        return next(iter(choices.values()), [])
    return choices


class AttachmentIdsField(forms.Field):
    """Ids of uploaded attachments, one or several (the socket sends a string or a list)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        values = value if isinstance(value, list) else [value]
        if len(values) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"At most {MAX_ATTACHMENTS} attachments per message.")
        if not all(isinstance(item, str) and ATTACHMENT_ID.match(item) for item in values):
            raise forms.ValidationError("That attachment reference is not valid.")
        return list(dict.fromkeys(values))


def owned_attachments(user: AbstractBaseUser | None, ids: list[str]) -> list[Attachment]:
    """The sender's own uploads (reads the database: clean forms off the event loop)."""
    if not ids:
        return []
    owned = attachments_owned(owner=user, attachment_ids=ids) if user else []
    if len(owned) != len(ids):
        raise forms.ValidationError(
            "An attachment is no longer available (it was removed). Attach it again."
        )
    return owned


class PromptForm(forms.Form):
    """What a person asks: a prompt and the files sent with it (chat's composer, compare)."""

    blank_prompt = "Type a message first."

    prompt = forms.CharField(required=False, strip=False, label="Message", widget=forms.Textarea)
    attachments = AttachmentIdsField(required=False)

    def clean_prompt(self) -> str:
        prompt = self.cleaned_data["prompt"]
        if len(prompt) > MAX_PROMPT_CHARS:
            raise forms.ValidationError(
                f"At most {MAX_PROMPT_CHARS:,} characters fit in one message; this one has "
                f"{len(prompt):,}. Shorten it."
            )
        return prompt

    def clean_attachments(self) -> list[Attachment]:
        return owned_attachments(getattr(self, "user", None), self.cleaned_data["attachments"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # A prompt refused for its length is not also "missing".
        blank = "prompt" in cleaned and not cleaned["prompt"].strip()
        if blank and not cleaned.get("attachments") and "attachments" not in self.errors:
            self.add_error("prompt", self.blank_prompt)
        return cleaned


class RunSettingsForm(ProviderPicking, forms.Form):
    """Every run setting; blank means "the model's default"."""

    # The fields a form of this kind keeps (None: all); a compare pane keeps a few.
    fields_kept: tuple[str, ...] | None = None

    provider = provider_field()
    model = ModelField(capability=CHAT)
    system_prompt = forms.CharField(
        required=False, max_length=20_000, strip=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    temperature = forms.FloatField(
        required=False, min_value=0.0, max_value=2.0, label="Temperature"
    )
    top_p = forms.FloatField(required=False, min_value=0.0, max_value=1.0, label="Top P")
    max_tokens = forms.IntegerField(
        required=False, min_value=1, max_value=1_000_000, label="Max output tokens"
    )
    stop = forms.CharField(
        required=False,
        max_length=2_000,
        label="Stop sequences",
        help_text="One per line, at most 5.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    seed = forms.IntegerField(required=False, min_value=-(2**31), max_value=2**31 - 1, label="Seed")
    n = forms.IntegerField(min_value=1, max_value=8, initial=1, label="Candidates")
    stream = forms.BooleanField(required=False, initial=True, label="Stream")
    include_thoughts = forms.BooleanField(
        required=False, initial=True, label="Show thought summaries"
    )
    reasoning_effort = forms.ChoiceField(
        required=False,
        choices=[("", "Model default"), *((e, e) for e in EFFORTS)],
        label="Reasoning effort",
    )
    thinking_level = forms.ChoiceField(
        required=False,
        choices=[("", "Not set"), *((level, level) for level in THINKING_LEVELS)],
        label="Thinking level",
    )
    thinking_budget = forms.IntegerField(
        required=False, min_value=-1, max_value=MAX_THINKING_BUDGET, label="Thinking budget"
    )
    service_tier = forms.ChoiceField(required=False, choices=SERVICE_TIERS, label="Service tier")
    include_usage = forms.BooleanField(required=False, initial=True, label="Include usage")
    cached_content = forms.CharField(
        required=False, max_length=220, label="Cached content",
        help_text="A cache name such as cachedContents/abc123.",
    )  # fmt: skip
    extra_body = forms.CharField(
        required=False,
        max_length=20_000,
        label="Advanced: extra body (JSON)",
        help_text='Merged into extra_body, e.g. {"google": {"safety_settings": [...]}}.',
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    # The page renders these itself (one editor per tool, options that follow them).
    tools = ToolListField(required=False)
    tool_choice = forms.CharField(required=False, max_length=80, label="Tool choice")
    response_format = forms.ChoiceField(
        required=False, choices=RESPONSE_FORMATS, initial="text", label="Response format"
    )
    response_schema = forms.CharField(
        required=False,
        max_length=MAX_SCHEMA_CHARS,
        strip=False,
        label="JSON Schema",
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    response_schema_name = forms.CharField(
        required=False,
        max_length=64,
        label="Schema name",
        help_text="Sent as json_schema.name; Gemini ignores it, the SDKs want one.",
    )

    def __init__(
        self,
        *args: Any,
        model_choices: ModelChoices | None = None,
        user: AbstractBaseUser | None = None,
        **kwargs: Any,
    ):
        if self.fields_kept is not None:
            # Django deep-copies `base_fields` for each form: only the kept ones (a compare
            # run builds eight pane forms before its requests leave).
            self.base_fields = _kept_fields(type(self))
        super().__init__(*args, **kwargs)
        self.label_suffix = ""  # labels read as names, with no colon after some and not others
        self.api_labels()
        self.providers_offer(configured_providers())
        elsewhere: list[str] = []
        if isinstance(model_choices, Mapping):
            elsewhere = [m for name, ids in model_choices.items() for m in ids
                         if name != self.target_provider.name]  # fmt: skip
            model_choices = model_choices.get(self.target_provider.name, [])
        self.model_choices = model_choices or []
        self.fields["model"].offer(self.model_choices)  # type: ignore[attr-defined]
        self._follow_provider(elsewhere)
        self.user = user

    def _follow_provider(self, elsewhere: list[str]) -> None:
        """A provider just picked starts on one of its own models, not the last provider's
        (a past run's model that no provider lists now stays, marked as not listed)."""
        model = bare_model_id(str(self.initial.get("model") or ""))
        if self.is_bound or not self.model_choices or model in self.model_choices:
            return
        if model in elsewhere:
            self.initial["model"] = initial_model_id(capability=CHAT, model_ids=self.model_choices)

    def api_labels(self) -> None:
        """Show each setting's wire name beside its label: `Reasoning effort reasoning_effort`."""
        for name, field in self.fields.items():
            if name in API_NAMES and field.label:
                field.label = _api_label(field.label, API_NAMES[name])

    def clean_stop(self) -> tuple[str, ...]:
        lines = [line for line in self.cleaned_data["stop"].splitlines() if line.strip()]
        if len(lines) > MAX_STOP_SEQUENCES:
            raise forms.ValidationError(f"At most {MAX_STOP_SEQUENCES} stop sequences.")
        return tuple(lines)

    def clean_n(self) -> int:
        return self.cleaned_data["n"] or 1

    def clean_cached_content(self) -> str | None:
        name = self.cleaned_data["cached_content"].strip()
        if name and not CACHED_CONTENT.match(name):
            raise forms.ValidationError("A cache name looks like cachedContents/abc123.")
        return name or None

    def clean_extra_body(self) -> dict[str, Any]:
        text = self.cleaned_data["extra_body"].strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(
                f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
            ) from None
        except RecursionError:
            raise forms.ValidationError("That JSON is nested too deeply.") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("extra_body must be a JSON object: {...}.")
        unknown = sorted(set(value) - {"google"})
        if unknown:
            raise forms.ValidationError(
                f'extra_body takes Gemini\'s options under "google"; {unknown[0]!r} is not one. '
                'Write {"google": {...}} (the outer extra_body is added for you).'
            )
        if not isinstance(value["google"], dict):
            raise forms.ValidationError('"google" must be a JSON object.')
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("reasoning_effort", "thinking_level"):
            cleaned[name] = cleaned.get(name) or None
        self._clean_tools_and_format(cleaned)
        model = cleaned.get("model")
        if model is not None:
            self._clean_thinking(model, cleaned)
        return cleaned

    def _clean_thinking(self, model: str, cleaned: dict[str, Any]) -> None:
        google = (cleaned.get("extra_body") or {}).get("google", {})
        advanced = google.get("thinking_config")
        advanced = advanced if isinstance(advanced, dict) else {}
        level = cleaned["thinking_level"] or advanced.get("thinking_level")
        budget = cleaned.get("thinking_budget")
        if budget is None:
            budget = advanced.get("thinking_budget")
        refusal = thinking_refusal(
            model,
            reasoning_effort=cleaned["reasoning_effort"],
            thinking_level=level,
            thinking_budget=budget,
        )
        if refusal:
            self.add_error(self.thinking_error_field(), refusal.rstrip(".") + ".")
        elif cleaned["reasoning_effort"] and "thinking_config" in google:
            self.add_error(None, BOTH_THINKING)

    def thinking_error_field(self) -> str | None:
        """Where a refused thinking setting is shown (the form's top by default)."""
        return None

    def _clean_tools_and_format(self, cleaned: dict[str, Any]) -> None:
        if "tool_choice" in self.fields:
            choice = cleaned["tool_choice"] = cleaned.get("tool_choice") or "auto"
            if "tools" in cleaned:
                names = [tool["function"]["name"] for tool in cleaned["tools"]]
                if problem := tool_choice_problem(choice, names):
                    self.add_error("tool_choice", problem)
        if "response_format" not in self.fields:
            return
        kind = cleaned["response_format"] = cleaned.get("response_format") or "text"
        schema = cleaned.get("response_schema")
        if kind != "json_schema" or schema is None:
            return
        if not schema.strip():
            self.add_error("response_schema", "json_schema needs a schema: write one or pick one.")
            return
        report = schema_report(schema, cleaned.get("response_schema_name", ""))
        for error in report.errors:
            self.add_error("response_schema", error)

    def settings(self, **overrides: Any) -> RunSettings:
        """The cleaned settings as one frozen value (call after `is_valid()`)."""
        return RunSettings.from_dict(self.cleaned_data, **overrides)

    def widgets_in_form(self, form_id: str, names: Iterable[str] | None = None) -> None:
        """Tie fields rendered outside the <form> (a side panel) to it."""
        for name in names or self.fields:
            self.fields[name].widget.attrs.setdefault("form", form_id)


@functools.cache
def _kept_fields(form_class: type[RunSettingsForm]) -> dict[str, forms.Field]:
    """A form class's fields less the run settings it does not keep (`fields_kept`), in order."""
    kept = {*(form_class.fields_kept or ()), "provider"}
    dropped = set(RunSettingsForm.base_fields) - kept
    return {name: f for name, f in form_class.base_fields.items() if name not in dropped}


def error_lines(form: forms.Form) -> list[tuple[str | None, str]]:
    """Each problem of a form once, with the field's label in words (None: the form's own)."""
    lines: list[tuple[str | None, str]] = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        label = None if field is None else str(_plain_label(form, name))
        lines.extend((label, str(message)) for message in messages)
    return lines


def _plain_label(form: forms.Form, name: str) -> str:
    field = form.base_fields.get(name) or form.fields[name]
    return field.label or name.replace("_", " ").capitalize()


@functools.cache
def _api_label(label: str, api_name: str) -> str:
    # The same few labels on every form built, one per socket message: formatted once.
    return format_html('{} <code class="api-name">{}</code>', label, api_name)
