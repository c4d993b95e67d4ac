"""The chat composer's form: used by the socket consumer and the plain HTTP fallback alike."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from playground.llm.catalog import EFFORTS, family_of, thinking_refusal
from playground.media.models import Attachment
from playground.media.selectors import attachments_owned

MODEL_ID = re.compile(r"^(models/)?[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")
MAX_STOP_SEQUENCES = 5
MAX_PROMPT_CHARS = 100_000
MAX_ATTACHMENTS = 10
COMPOSER_FORM_ID = "composer"
ATTACHMENT_ID = re.compile(r"^[0-9a-fA-F-]{32,36}$")
THINKING_LEVELS = ("minimal", "low", "medium", "high")
SERVICE_TIERS = (("", "Standard (not sent)"), ("default", "default"), ("flex", "flex"),
                 ("priority", "priority"))  # fmt: skip
CACHED_CONTENT = re.compile(r"^cachedContents/[A-Za-z0-9_-]{1,200}$")


class ChatSettingsForm(forms.Form):
    """Sampling settings shared by every run; blank means "the model's default"."""

    model = forms.CharField(max_length=140)
    system_prompt = forms.CharField(
        required=False, max_length=20_000, strip=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    temperature = forms.FloatField(required=False, min_value=0.0, max_value=2.0)
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
    seed = forms.IntegerField(required=False, min_value=-(2**31), max_value=2**31 - 1)
    n = forms.IntegerField(min_value=1, max_value=8, initial=1, label="Candidates (n)")
    stream = forms.BooleanField(required=False, initial=True)
    include_thoughts = forms.BooleanField(
        required=False, initial=True, label="Show thought summaries"
    )
    reasoning_effort = forms.ChoiceField(
        required=False,
        choices=[("", "Model default"), *((e, e) for e in EFFORTS)],
        label="reasoning_effort",
    )
    thinking_level = forms.ChoiceField(
        required=False,
        choices=[("", "Not set"), *((level, level) for level in THINKING_LEVELS)],
        label="thinking_level",
    )
    thinking_budget = forms.IntegerField(
        required=False, min_value=-1, max_value=32_768, label="thinking_budget"
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
        label="Advanced: extra_body JSON",
        help_text='Merged into extra_body, e.g. {"google": {"safety_settings": [...]}}.',
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )

    def __init__(
        self,
        *args: Any,
        model_choices: list[str] | None = None,
        user: AbstractBaseUser | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.model_choices = model_choices or []
        self.user = user
        for field in self.fields.values():
            # Settings live in a side panel outside the composer <form>; tie them to it.
            field.widget.attrs.setdefault("form", COMPOSER_FORM_ID)

    def clean_model(self) -> str:
        model = self.cleaned_data["model"].strip()
        if not MODEL_ID.match(model):
            raise forms.ValidationError("That is not a model id (e.g. gemini-2.5-flash).")
        bare = model.removeprefix("models/")
        known = {choice.removeprefix("models/") for choice in self.model_choices}
        if known and bare not in known:
            raise forms.ValidationError(
                f"{bare} is not a chat model of this provider. Pick one from the list."
            )
        return bare

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
        model = cleaned.get("model")
        if model is None:
            return cleaned
        thinking_config = (
            (cleaned.get("extra_body") or {}).get("google", {}).get("thinking_config", {})
        )
        level = cleaned["thinking_level"] or thinking_config.get("thinking_level")
        budget = cleaned.get("thinking_budget")
        if budget is None:
            budget = thinking_config.get("thinking_budget")
        refusal = thinking_refusal(
            model,
            reasoning_effort=cleaned["reasoning_effort"],
            thinking_level=level,
            thinking_budget=budget,
        )
        if refusal:
            self.add_error(None, refusal.rstrip(".") + ".")
        family = family_of(model)
        if cleaned.get("include_thoughts") and family is not None and not family.thinks:
            cleaned["include_thoughts"] = False  # nothing to summarise; not an error
        return cleaned

    def settings_dict(self) -> dict[str, Any]:
        """The cleaned settings as JSON-able values, to remember per conversation."""
        data = dict(self.cleaned_data)
        data["stop"] = list(data.get("stop", ()))
        data["extra_body"] = json.dumps(data["extra_body"]) if data.get("extra_body") else ""
        data.pop("prompt", None)
        data.pop("attachments", None)
        data.pop("conversation", None)
        data.pop("turn", None)
        return data


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


class ChatSendForm(ChatSettingsForm):
    """A new prompt in a conversation (a new conversation when `conversation` is blank)."""

    conversation = forms.IntegerField(required=False, min_value=1)
    prompt = forms.CharField(
        required=False, max_length=MAX_PROMPT_CHARS, strip=False, widget=forms.Textarea
    )
    attachments = AttachmentIdsField(required=False)

    def clean_attachments(self) -> list[Attachment]:
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
            self.add_error("prompt", "Type a message first.")
        return cleaned


class ChatEditForm(ChatSendForm):
    """Resend from an earlier user turn with new text; the turns after it are kept as replaced."""

    turn = forms.IntegerField(min_value=1)


class ChatRegenerateForm(ChatSettingsForm):
    conversation = forms.IntegerField(min_value=1)


class ConversationRenameForm(forms.Form):
    title = forms.CharField(max_length=200)

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("A title cannot be blank.")
        return title
