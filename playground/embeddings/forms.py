from __future__ import annotations

from typing import Any

from django import forms

from playground.catalog.fields import ModelField
from playground.catalog.provider_choice import ProviderModelPicking, provider_field
from playground.embeddings.texts import (
    MAX_FILE_BYTES,
    TextsRefused,
    texts_check,
    texts_from_file,
    texts_from_lines,
)
from playground.llm import EMBEDDING_MODELS, EMBEDDINGS, MAX_TEXTS, EmbeddingSpec, embedding_model

DIMENSION_CHOICES = sorted(
    {size for m in EMBEDDING_MODELS.values() for size in m.dimension_choices}
)
PLACEHOLDER = (
    "The cat sat on the mat.\n"
    "A kitten was sleeping on the rug.\n"
    "Quarterly revenue grew by five percent.\n"
    "Sales for the quarter rose 5%.\n"
    "How do I bake sourdough bread?"
)


class EmbeddingForm(ProviderModelPicking, forms.Form):
    capability = EMBEDDINGS
    provider = provider_field()
    model = ModelField(capability=EMBEDDINGS, label="Embedding model")
    dimensions = forms.TypedChoiceField(
        label="Output dimensions",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Model default"), *[(size, f"{size:,}") for size in DIMENSION_CHOICES]],
        help_text="Fewer numbers per vector: Gemini keeps the first ones (Matryoshka).",
    )
    texts = forms.CharField(
        label="Texts, one per line",
        required=False,
        strip=False,
        max_length=1_000_000,
        widget=forms.Textarea(attrs={"rows": 9, "placeholder": PLACEHOLDER, "spellcheck": "false"}),
        help_text=f"Up to {MAX_TEXTS} texts.",
    )
    texts_file = forms.FileField(
        label="…or a text or CSV file",
        required=False,
        help_text=(
            f"One text per line, or per CSV row (a “text” column, else the first); "
            f"up to {MAX_FILE_BYTES // 2**20} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.csv,text/plain,text/csv"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        box = texts_from_lines(cleaned.get("texts") or "")
        upload = cleaned.get("texts_file")
        try:
            if upload and box:
                raise TextsRefused(
                    "Give the texts in the box or in a file, not both: clear one of them."
                )
            content = upload.read(MAX_FILE_BYTES + 1) if upload else b""
            texts = texts_from_file(upload.name, content) if upload else box
            cleaned["text_list"] = texts_check(texts)
        except TextsRefused as refusal:
            self.add_error("texts_file" if upload else "texts", str(refusal))
        known = embedding_model(cleaned.get("model") or "")
        size = cleaned.get("dimensions")
        if known and size is not None and size not in known.dimension_choices:
            self.add_error("dimensions", f"{known.id} does not take {size} dimensions.")
        return cleaned

    def spec(self) -> EmbeddingSpec:
        return EmbeddingSpec(
            model=self.cleaned_data["model"],
            texts=tuple(self.cleaned_data["text_list"]),
            dimensions=self.cleaned_data.get("dimensions"),
        )
