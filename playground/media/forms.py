from __future__ import annotations

from typing import Any

from django import forms

from playground.media.limits import UploadLimits, UploadRefused
from playground.media.validation import ACCEPT, CheckedUpload, upload_check


class AttachmentUploadForm(forms.Form):
    """One image or audio file; `cleaned_data["file"]` is the checked upload, ready to store."""

    file = forms.FileField(
        label="Image or audio file",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(
        self,
        *args: Any,
        limits: UploadLimits,
        refusal: UploadRefused | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        # Set when the file was dropped while it arrived, so it never reached `files`.
        self.refusal = refusal

    def clean_file(self) -> CheckedUpload:
        if self.refusal is not None:
            raise forms.ValidationError(str(self.refusal), code="too_big")
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError("Choose an image or audio file.", code="required")
        if len(self.files.getlist("file")) > 1:
            raise forms.ValidationError("Send one file at a time.", code="several")
        try:
            return upload_check(upload, limits=self.limits)
        except UploadRefused as refused:
            raise forms.ValidationError(str(refused), code="refused") from None

    @property
    def original_name(self) -> str:
        upload = self.files.get("file")
        return upload.name if upload else ""
