"""The image form: what `images.generate` takes, each value checked before anything is sent."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from playground.catalog.fields import DescriptionField, ModelField
from playground.catalog.provider_choice import ProviderModelPicking, provider_field
from playground.limits.json_depth import SETTINGS_MAX_DEPTH, JsonRefused, json_loads_bounded
from playground.llm import IMAGE_GENERATION

MAX_IMAGES = 4
SEARCH_MODELS = ("gemini-3-pro-image-preview",)
SIZES = [
    ("", "Default"),
    ("512x512", "512 x 512"),
    ("1024x1024", "1024 x 1024"),
    ("1536x1024", "1536 x 1024 (landscape)"),
    ("1024x1536", "1024 x 1536 (portrait)"),
    ("2048x2048", "2048 x 2048"),
]
ASPECT_RATIOS = [("", "Default")] + [
    (ratio, ratio)
    for ratio in ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
]
# A generation config or safety settings list is a few hundred characters.
SETTINGS_MAX_CHARS = 20_000
JSON_TEXTAREA = forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "code-input"})


def _json(text: str, kind: type, example: str, label: str) -> Any:
    if not text.strip():
        return None
    try:
        value = json_loads_bounded(text, max_depth=SETTINGS_MAX_DEPTH, max_chars=SETTINGS_MAX_CHARS)
    except JsonRefused as refusal:
        raise forms.ValidationError(f"{label} {refusal.reason}") from None
    except json.JSONDecodeError as exc:
        raise forms.ValidationError(
            f"{label} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        ) from None
    if not isinstance(value, kind):
        noun = "an object" if kind is dict else "a list"
        raise forms.ValidationError(f"{label} must be {noun}, e.g. {example}")
    return value


class ImageForm(ProviderModelPicking, forms.Form):
    capability = IMAGE_GENERATION
    provider = provider_field()
    model = ModelField(capability=IMAGE_GENERATION)
    prompt = DescriptionField(what="image")
    n = forms.IntegerField(
        label="Images (n)",
        min_value=1,
        max_value=MAX_IMAGES,
        initial=1,
        error_messages={
            "min_value": f"Ask for 1 to {MAX_IMAGES} images.",
            "max_value": f"Ask for 1 to {MAX_IMAGES} images.",
            "required": f"Say how many images (1 to {MAX_IMAGES}).",
        },
    )
    size = forms.ChoiceField(choices=SIZES, required=False)
    response_format = forms.ChoiceField(
        label="Response format",
        choices=[("b64_json", "b64_json")],
        initial="b64_json",
        help_text="Gemini sends the images themselves, base64-encoded.",
    )
    aspect_ratio = forms.ChoiceField(label="Aspect ratio", choices=ASPECT_RATIOS, required=False)
    generation_config = forms.CharField(
        label="Generation config (JSON)",
        required=False,
        widget=JSON_TEXTAREA,
        help_text='A Gemini GenerationConfig, e.g. {"responseModalities": ["IMAGE"]}.',
    )
    safety_settings = forms.CharField(
        label="Safety settings (JSON)",
        required=False,
        widget=JSON_TEXTAREA,
        help_text='e.g. [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_NONE"}]',
    )
    google_search = forms.BooleanField(
        label="Ground with Google Search",
        required=False,
        help_text='tools: [{"google_search": {}}], gemini-3-pro-image-preview only.',
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_generation_config(self) -> dict[str, Any] | None:
        example = '{"responseModalities": ["IMAGE"], "candidateCount": 2}'
        return _json(self.cleaned_data["generation_config"], dict, example, "Generation config")

    def clean_safety_settings(self) -> list[Any] | None:
        example = '[{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_NONE"}]'
        settings = _json(self.cleaned_data["safety_settings"], list, example, "Safety settings")
        for setting in settings or []:
            if not (
                isinstance(setting, dict)
                and isinstance(setting.get("category"), str)
                and isinstance(setting.get("threshold"), str)
            ):
                raise forms.ValidationError(
                    f"Each safety setting needs a category and a threshold, e.g. {example}"
                )
        return settings

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        model = cleaned.get("model")
        if cleaned.get("google_search") and model and model not in SEARCH_MODELS:
            self.add_error(
                "google_search",
                f"Grounding with Google Search works only with {', '.join(SEARCH_MODELS)}, "
                f"not {model}.",
            )
        return cleaned

    def request_values(self) -> dict[str, Any]:
        """The cleaned values in `ImageRequest`'s terms."""
        data = self.cleaned_data
        return {
            "provider": data["provider"],
            "model": data["model"],
            "prompt": data["prompt"],
            "n": data["n"],
            "size": data["size"] or None,
            "response_format": data["response_format"],
            "aspect_ratio": data["aspect_ratio"] or None,
            "generation_config_json": data["generation_config"] or "",
            "safety_settings_json": data["safety_settings"] or "",
            "google_search": data["google_search"],
        }


def initial_from_request(request: dict[str, Any]) -> dict[str, Any]:
    """The form's initial values from a stored `ImageRequest.to_dict()` ("again")."""

    def pretty(text: str) -> str:
        return json.dumps(json.loads(text), indent=1, ensure_ascii=False) if text else ""

    return {
        "provider": request.get("provider", ""),
        "model": request.get("model", ""),
        "prompt": request.get("prompt", ""),
        "n": request.get("n", 1),
        "size": request.get("size") or "",
        "response_format": "b64_json",
        "aspect_ratio": request.get("aspect_ratio") or "",
        "generation_config": pretty(request.get("generation_config_json", "")),
        "safety_settings": pretty(request.get("safety_settings_json", "")),
        "google_search": bool(request.get("google_search")),
    }
