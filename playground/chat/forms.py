"""The chat composer's form: used by the socket consumer and the plain HTTP fallback alike."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from playground.chat.selectors import conversation_of, tool_calls_awaiting
from playground.chat.tool_settings import (
    MAX_SCHEMA_CHARS,
    RESPONSE_FORMATS,
    ToolListField,
    schema_report,
    tool_choice_problem,
)
from playground.llm.catalog import EFFORTS, family_of, thinking_refusal
from playground.llm.tooling import tool_error_result
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
RESULT_FIELD = re.compile(r"(result|error)_(\d{1,2})")
MAX_TOOL_CALLS = 64
MAX_TOOL_RESULT_CHARS = 100_000
DEFAULT_TOOL_ERROR = "The tool failed."
STALE_CALLS = (
    "Those calls can no longer be answered: they were answered already, or replaced. "
    "Reload the page."
)


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
    # The page renders these three itself (one editor per tool, options that follow them).
    tools = ToolListField(required=False)
    tool_choice = forms.CharField(required=False, max_length=80, label="tool_choice")
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
        self._clean_tools_and_format(cleaned)
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

    def _clean_tools_and_format(self, cleaned: dict[str, Any]) -> None:
        choice = cleaned["tool_choice"] = cleaned.get("tool_choice") or "auto"
        if "tools" in cleaned:
            names = [tool["function"]["name"] for tool in cleaned["tools"]]
            if problem := tool_choice_problem(choice, names):
                self.add_error("tool_choice", problem)
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

    def settings_dict(self) -> dict[str, Any]:
        """The cleaned settings as JSON-able values, to remember per conversation."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in ChatSettingsForm.base_fields
        }
        data["stop"] = list(data.get("stop", ()))
        data["extra_body"] = json.dumps(data["extra_body"]) if data.get("extra_body") else ""
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


class ChatToolResultsForm(ChatSettingsForm):
    """What the tools returned for the calls of the last reply (`result_<n>`, `error_<n>` per
    call, in call order); the tool loop continues with them and the settings given."""

    conversation = forms.IntegerField(min_value=1)
    turn = forms.IntegerField(min_value=1)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        numbers = {
            int(match[2]) for key in self.data if (match := RESULT_FIELD.fullmatch(str(key)))
        }
        for number in sorted(numbers)[:MAX_TOOL_CALLS]:
            self.fields[f"result_{number}"] = forms.CharField(
                required=False,
                max_length=MAX_TOOL_RESULT_CHARS,
                strip=False,
                label=f"Result {number + 1}",
            )
            self.fields[f"error_{number}"] = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        conversation_id, turn_id = cleaned.get("conversation"), cleaned.get("turn")
        if conversation_id is None or turn_id is None:
            return cleaned
        conversation = conversation_of(self.user, conversation_id) if self.user else None
        calls = tool_calls_awaiting(conversation=conversation, turn_id=turn_id)
        if calls is None:
            self.add_error(None, STALE_CALLS)
            return cleaned
        if any(f"result_{number}" in self.fields for number in range(len(calls), 99)):
            self.add_error(None, "There are more results than calls: reload the page.")
        results = []
        for number, call in enumerate(calls):
            result = self._result(number, call)
            if result is not None:
                results.append(result)
        cleaned["tool_results"] = results
        return cleaned

    def _result(self, number: int, call: dict[str, Any]) -> dict[str, Any] | None:
        name = call["function"]["name"]
        if f"result_{number}" not in self.fields:
            self.add_error(None, f"No result was sent for call {number + 1} ({name}).")
            return None
        text = self.cleaned_data.get(f"result_{number}")
        if text is None:
            return None  # the field has its own error (too long)
        is_error = bool(self.cleaned_data.get(f"error_{number}"))
        if not text.strip() and not is_error:
            self.add_error(
                None, f"Type what {name} returned (call {number + 1}), or tick “Return an error”."
            )
            return None
        content = tool_error_result(text.strip() or DEFAULT_TOOL_ERROR) if is_error else text
        return {
            "call_id": call["id"],
            "name": name,
            "text": text,
            "is_error": is_error,
            "content": content,
        }


class ConversationRenameForm(forms.Form):
    title = forms.CharField(max_length=200)

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("A title cannot be blank.")
        return title
