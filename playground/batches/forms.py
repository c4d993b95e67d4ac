from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone

from playground.batches.jsonl import (
    INPUT_PLACEHOLDER,
    MAX_BYTES,
    MAX_LINES,
    JsonlCheck,
    jsonl_check,
    jsonl_from_template_size,
    unlisted_model_problems,
)
from playground.catalog.capabilities import BATCH_LINE, picker_capability
from playground.catalog.fields import ModelField
from playground.catalog.provider_choice import (
    ProviderModelPicking,
    ProviderPicking,
    provider_field,
)
from playground.catalog.selectors import ProviderOffer
from playground.llm import CHAT, CHAT_ENDPOINT, EMBEDDINGS, EMBEDDINGS_ENDPOINT
from playground.media.limits import size_label

ENDPOINT_CHOICES = [
    (CHAT_ENDPOINT, f"Chat completions ({CHAT_ENDPOINT})"),
    (EMBEDDINGS_ENDPOINT, f"Embeddings ({EMBEDDINGS_ENDPOINT})"),
]
# What the lines of a batch for each endpoint ask of their models.
LINE_CAPABILITIES = {CHAT_ENDPOINT: CHAT, EMBEDDINGS_ENDPOINT: EMBEDDINGS}
DISPLAY_NAME = re.compile(r"^[\w .\-]{1,120}$")
DEFAULT_TEMPLATE = "Answer in one sentence: {input}"


def default_display_name() -> str:
    return f"playground-batch-{timezone.now():%Y%m%d-%H%M%S}"


class BatchSubmitForm(ProviderPicking, forms.Form):
    """The JSONL to check and send: uploaded, pasted, or built below and pasted in."""

    provider = provider_field()
    endpoint = forms.ChoiceField(label="Endpoint", choices=ENDPOINT_CHOICES)
    display_name = forms.CharField(
        label="Name",
        max_length=120,
        required=False,
        help_text="Shown in your list and given to the uploaded file.",
    )
    jsonl_file = forms.FileField(
        label="JSONL file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jsonl,.json,.txt,application/jsonl"}),
        help_text=f"One request per line, up to {MAX_LINES:,} lines and {MAX_BYTES // 2**20} MB.",
    )
    jsonl_text = forms.CharField(
        label="…or paste JSONL",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "wrap": "off"}),
    )

    def __init__(
        self,
        *args: Any,
        offers: list[ProviderOffer],
        line_offers: Mapping[str, list[ProviderOffer]] | None = None,
        **kwargs: Any,
    ):
        """`line_offers`: endpoint -> each provider's models for its lines (LINE_CAPABILITIES);
        a line's model the picked provider does not list is refused. Without them, or when the
        provider's list could not be had, any model goes to the endpoint, which decides."""
        super().__init__(*args, **kwargs)
        self.providers_offer([offer.provider for offer in offers])
        self.line_offers = dict(line_offers or {})
        # The build form below has a provider picker too.
        self.fields["provider"].widget.attrs["id"] = "id_submit_provider"

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip() or default_display_name()
        if not DISPLAY_NAME.match(name):
            raise forms.ValidationError("Use letters, digits, spaces, dots, dashes or underscores.")
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload, pasted = cleaned.get("jsonl_file"), cleaned.get("jsonl_text") or ""
        if upload and pasted.strip():
            raise forms.ValidationError(
                "Upload a file or paste JSONL, not both: clear one of them."
            )
        if not upload and not pasted.strip():
            raise forms.ValidationError("Upload a JSONL file, paste its lines, or build one below.")
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // 2**20} MB.")
        if "endpoint" in cleaned:
            raw = upload.read(MAX_BYTES + 1) if upload else pasted
            cleaned["check"] = check = jsonl_check(raw, endpoint=cleaned["endpoint"])
            cleaned["from_file"] = bool(upload)
            if check.ok:  # a file with problems shows them first, line by line
                for problem in self._unlisted_model_problems(check, cleaned["endpoint"]):
                    self.add_error(None, problem)
        return cleaned

    def _unlisted_model_problems(self, check: JsonlCheck, endpoint: str) -> list[str]:
        provider = self.target_provider
        offers = self.line_offers.get(endpoint, [])
        listed = next((o.model_ids for o in offers if o.provider.name == provider.name), [])
        if not listed:
            return []
        wanted = picker_capability(LINE_CAPABILITIES[endpoint]).noun
        return unlisted_model_problems(
            check, listed=listed, wanted=wanted, provider_label=provider.label
        )


class BatchBuildForm(ProviderModelPicking, forms.Form):
    """A JSONL file from one prompt template and a list of inputs."""

    capability = BATCH_LINE
    provider = provider_field()
    build_endpoint = forms.ChoiceField(label="Endpoint", choices=ENDPOINT_CHOICES)
    model = ModelField(capability=BATCH_LINE)
    system = forms.CharField(
        label="System instruction (chat only)",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    template = forms.CharField(
        label="Prompt template",
        max_length=20_000,
        initial=DEFAULT_TEMPLATE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"{INPUT_PLACEHOLDER} is replaced by each input.",
    )
    inputs = forms.CharField(
        label="Inputs, one per line",
        max_length=2_000_000,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "Why is the sky blue?"}),
    )

    def clean_template(self) -> str:
        template = self.cleaned_data["template"]
        if INPUT_PLACEHOLDER not in template:
            raise forms.ValidationError(f"Put {INPUT_PLACEHOLDER} where each input goes.")
        return template

    def clean_inputs(self) -> list[str]:
        inputs = [line.strip() for line in self.cleaned_data["inputs"].splitlines() if line.strip()]
        if not inputs:
            raise forms.ValidationError("Enter at least one input.")
        if len(inputs) > MAX_LINES:
            raise forms.ValidationError(f"{len(inputs):,} inputs; a batch takes {MAX_LINES:,}.")
        return inputs

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # Counted before anything is built: a long template times many inputs would otherwise
        # make hundreds of megabytes in memory and in the page.
        size = jsonl_from_template_size(
            endpoint=cleaned["build_endpoint"],
            model=cleaned["model"],
            template=cleaned["template"],
            inputs=cleaned["inputs"],
            system=cleaned.get("system") or "",
        )
        if size > MAX_BYTES:
            self.add_error(
                "inputs",
                f"The built file would take {size_label(size)}, and a batch file may take at most "
                f"{size_label(MAX_BYTES)} (as an upload). Use fewer inputs or a shorter template.",
            )
        return cleaned
