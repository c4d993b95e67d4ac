"""The chat composer's form: used by the socket consumer and the plain HTTP fallback alike."""

from __future__ import annotations

import re
from typing import Any

from django import forms

MODEL_ID = re.compile(r"^(models/)?[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")
MAX_STOP_SEQUENCES = 5
MAX_PROMPT_CHARS = 100_000


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

    def __init__(self, *args: Any, model_choices: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.model_choices = model_choices or []

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

    def settings_dict(self) -> dict[str, Any]:
        """The cleaned settings as JSON-able values, to remember per conversation."""
        data = dict(self.cleaned_data)
        data["stop"] = list(data.get("stop", ()))
        data.pop("prompt", None)
        data.pop("conversation", None)
        data.pop("turn", None)
        return data


class ChatSendForm(ChatSettingsForm):
    """A new prompt in a conversation (a new conversation when `conversation` is blank)."""

    conversation = forms.IntegerField(required=False, min_value=1)
    prompt = forms.CharField(max_length=MAX_PROMPT_CHARS, strip=False, widget=forms.Textarea)

    def clean_prompt(self) -> str:
        prompt = self.cleaned_data["prompt"]
        if not prompt.strip():
            raise forms.ValidationError("Type a message first.")
        return prompt


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
