"""The one model picker: a form field that checks a model id, and the widget that offers the
provider's models for what the page does.

Every form that takes a model uses it, from HTTP and from the socket alike: one pattern, one
set of messages. With the provider's list at hand the widget is a select of its models and an
unknown id is refused; without it (the list could not be had) it is a text box and any
well-formed id goes to the endpoint, which has the last word.

Beside it, the other field every generating media page (images, video) has: the description.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from playground.catalog.capabilities import picker_capability
from playground.llm import bare_model_id

# Gemini's ids (`gemini-2.5-flash`, `models/gemini-2.5-flash`) and other endpoints' (`llama3:8b`).
MODEL_ID = re.compile(r"^(models/)?[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")
MODEL_ID_MAX_LENGTH = 140


class ModelPicker(forms.Widget):
    """A select of the offered ids, or a text box when none are known. An id that is set but
    not offered (a past run's model) stays visible, marked, rather than silently changing."""

    template_name = "catalog/_model_picker.html"
    # The template lives with the project's templates, which the default form renderer skips.
    project_templates = TemplatesSetting()

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.model_ids: list[str] = []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = bare_model_id(str(value)) if value else ""
        if self.model_ids:
            context["widget"]["attrs"].pop("maxlength", None)  # a select has no length
        context["widget"].update(
            model_ids=self.model_ids, chosen=chosen, unlisted=chosen not in self.model_ids
        )
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> str:
        return super().render(name, value, attrs, self.project_templates)


class ModelField(forms.CharField):
    """A model id for one capability (`playground.catalog.capabilities`); cleans to the bare id.

    Give it the provider's ids with `offer(await model_ids(capability=...))`.
    """

    widget = ModelPicker

    def __init__(self, *, capability: str, **kwargs: Any) -> None:
        self.capability = picker_capability(capability)
        kwargs.setdefault("label", "Model")
        kwargs.setdefault("max_length", MODEL_ID_MAX_LENGTH)
        kwargs.setdefault("error_messages", {"required": "Choose a model."})
        super().__init__(**kwargs)

    def offer(self, model_ids: list[str]) -> None:
        self.widget.model_ids = [bare_model_id(model_id) for model_id in model_ids]

    @property
    def model_ids(self) -> list[str]:
        return self.widget.model_ids

    def to_python(self, value: Any) -> str:
        model = super().to_python(value).strip()
        if model and not MODEL_ID.match(model):
            raise forms.ValidationError(
                f"That is not a model id (e.g. {self.capability.default_model}).", code="invalid"
            )
        return bare_model_id(model)

    def validate(self, value: str) -> None:
        super().validate(value)
        if self.model_ids and value not in self.model_ids:
            raise forms.ValidationError(
                f"{value} is not {self.capability.noun} of this provider. Pick one from the list.",
                code="unknown",
            )


class DescriptionField(forms.CharField):
    """What a media page generates, described in words (`what`: "image", "video"): sent as
    typed, spaces and all, but never empty or only spaces."""

    def __init__(self, *, what: str) -> None:
        self.missing = f"Describe the {what} to generate."
        super().__init__(
            max_length=10_000,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": self.missing},
        )

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text.strip():
            raise forms.ValidationError(self.missing)
        return text
