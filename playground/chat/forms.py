"""The chat composer's forms: used by the socket consumer and the plain HTTP fallback alike."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from playground.chat.selectors import SidebarCursor, conversation_of, tool_calls_awaiting
from playground.llm import tool_error_result
from playground.runs.forms import PromptForm, RunSettingsForm

COMPOSER_FORM_ID = "composer"
RESULT_FIELD = re.compile(r"(result|error)_(\d{1,2})")
MAX_TOOL_CALLS = 64
MAX_TOOL_RESULT_CHARS = 100_000
DEFAULT_TOOL_ERROR = "The tool failed."
STALE_CALLS = (
    "Those calls can no longer be answered: they were answered already, or another version "
    "is shown. "
    "Reload the page."
)
STALE_REPLY = (
    "That reply is no longer the last one, so it cannot be regenerated; reload the page to "
    "see the conversation as it is."
)


class ChatSettingsForm(RunSettingsForm):
    """The composer's settings; they live in a side panel outside the composer <form>."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Picking a model shows the reasoning controls that model takes: the page's model
        # picker (#model-picker) asks for them, whichever provider's list it holds.
        self.widgets_in_form(COMPOSER_FORM_ID)


class ChatSendForm(PromptForm, ChatSettingsForm):
    """A new prompt in a conversation (a new conversation when `conversation` is blank)."""

    conversation = forms.IntegerField(required=False, min_value=1)


class ChatEditForm(ChatSendForm):
    """Resend from an earlier user turn with new text, as a new version beside it (its branch,
    with the replies after it, stays one click away)."""

    turn = forms.IntegerField(min_value=1)


class ChatRegenerateForm(ChatSettingsForm):
    """Regenerate the reply clicked, which must still be the conversation's last."""

    conversation = forms.IntegerField(min_value=1)
    turn = forms.IntegerField(min_value=1)


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


class SidebarPageForm(forms.Form):
    """Which page of the conversation list to send: the one after `before` / `before_id` (the
    last entry the page shows), leaving out `skip` (listed out of order already)."""

    before = forms.DateTimeField()
    before_id = forms.IntegerField(min_value=1)
    skip = forms.IntegerField(min_value=1, required=False)

    def cursor(self) -> SidebarCursor:
        return SidebarCursor(self.cleaned_data["before"], self.cleaned_data["before_id"])


class BranchChooseForm(forms.Form):
    """Which version of a message to show (the "< 1 / 2 >" buttons)."""

    turn = forms.IntegerField(min_value=1)
