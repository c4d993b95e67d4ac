from __future__ import annotations

from django import forms
from django.conf import settings

from playground.decks.models import Deck, Step
from playground.runs.replay import SPEEDS

SOURCES = (("conversation", "conversation"), ("comparison", "comparison"))


class DeckForm(forms.ModelForm):
    class Meta:
        model = Deck
        fields = ["title", "mode", "fallback_seconds"]
        labels = {"fallback_seconds": "Fall back after (seconds)"}
        help_texts = {
            "fallback_seconds": "Live with fallback: a reply not finished by then is replayed."
        }

    def clean_fallback_seconds(self) -> int:
        seconds = self.cleaned_data["fallback_seconds"]
        if not 1 <= seconds <= 600:
            raise forms.ValidationError("Choose between 1 and 600 seconds.")
        return seconds


class AddToDeckForm(forms.Form):
    """From a conversation or a comparison: into one of the person's decks, or a new one."""

    source = forms.ChoiceField(choices=SOURCES)
    target = forms.IntegerField(min_value=1)
    deck = forms.IntegerField(min_value=1, required=False)
    new_title = forms.CharField(max_length=200, required=False, strip=True)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.data.get("deck") is None and "new_title" not in self.data:
            return cleaned  # the page that picks a deck, before anything is picked
        if not cleaned.get("deck") and not cleaned.get("new_title"):
            raise forms.ValidationError("Choose a deck, or name a new one.")
        return cleaned


class StepPromptForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = ["prompt"]
        widgets = {"prompt": forms.Textarea(attrs={"rows": 4})}


class StepMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=(("up", "up"), ("down", "down")))


class StepRunForm(forms.Form):
    """One step to present, sent over the socket."""

    deck = forms.IntegerField(min_value=1)
    step = forms.IntegerField(min_value=1)
    speed = forms.TypedChoiceField(
        choices=[(str(speed), f"{speed}x") for speed in SPEEDS], coerce=int, initial="1"
    )


class DeckImportForm(forms.Form):
    file = forms.FileField(label="Deck file (.json)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.DECKS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {upload.size:,} bytes; a deck file may be {limit:,} at most."
            )
        return upload
