from __future__ import annotations

from django import forms

KINDS = (("conversation", "conversation"), ("comparison", "comparison"))


class ShareCreateForm(forms.Form):
    kind = forms.ChoiceField(choices=KINDS)
    target = forms.IntegerField(min_value=1)
