"""The video form: the seed's Veo options, each checked the way the seed page describes it."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from playground.catalog.fields import DescriptionField, ModelField
from playground.catalog.provider_choice import ProviderModelPicking, provider_field
from playground.catalog.selectors import ProviderOffer
from playground.llm import VIDEO_GENERATION, InputImage
from playground.media.image_check import MAX_PIXELS

IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MAX_REFERENCE_IMAGES = 3
DURATIONS = (4, 6, 8)
MAX_SEED = 2**32 - 1


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none were chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = []
        for file in files:
            cleaned.append(super().clean(file, initial))
        return cleaned


def input_image(upload: UploadedFile | None, label: str) -> InputImage | None:
    """An uploaded picture as an `InputImage`, or a message saying what is wrong with it."""
    if not upload:
        return None
    limit = settings.UPLOAD_MAX_IMAGE_BYTES
    if upload.size and upload.size > limit:
        raise forms.ValidationError(
            f"{label} is {upload.size // 1024} KB; the limit is {limit // 1024} KB."
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as picture:
            kind, pixels = picture.format, picture.width * picture.height
            picture.verify()
    except Image.DecompressionBombError:  # Pillow's own refusal, past 179 megapixels
        kind, pixels = None, MAX_PIXELS + 1
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        kind, pixels = None, 0
    if pixels > MAX_PIXELS:
        raise forms.ValidationError(
            f"{label} has too many pixels: at most {MAX_PIXELS // 1_000_000} megapixels are "
            "accepted. Scale it down first."
        )
    if kind not in IMAGE_TYPES:
        raise forms.ValidationError(f"{label} must be a PNG, JPEG or WEBP image.")
    return InputImage(data=data, mime_type=IMAGE_TYPES[kind], name=upload.name or "image")


class VideoForm(ProviderModelPicking, forms.Form):
    capability = VIDEO_GENERATION
    provider = provider_field()
    model = ModelField(capability=VIDEO_GENERATION)
    prompt = DescriptionField(what="video")
    aspect_ratio = forms.ChoiceField(
        label="Aspect ratio",
        required=False,
        choices=[("", "Default"), ("16:9", "16:9 landscape"), ("9:16", "9:16 portrait")],
    )
    resolution = forms.ChoiceField(
        required=False,
        choices=[("", "Default"), ("720p", "720p"), ("1080p", "1080p"), ("4k", "4K")],
    )
    duration_seconds = forms.TypedChoiceField(
        label="Duration",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Default"), *((str(s), f"{s} seconds") for s in DURATIONS)],
        error_messages={"invalid_choice": "Veo makes videos of 4, 6 or 8 seconds, not %(value)s."},
    )
    frame_rate = forms.CharField(
        label="Frame rate", required=False, max_length=3, help_text='Frames per second, e.g. "24".'
    )
    negative_prompt = forms.CharField(
        label="Negative prompt",
        required=False,
        max_length=2_000,
        help_text="What to keep out, e.g. shaky camera.",
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        error_messages={
            "min_value": f"A seed is a whole number from 0 to {MAX_SEED}.",
            "max_value": f"A seed is a whole number from 0 to {MAX_SEED}.",
        },
    )
    style = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Default"),
            ("cinematic", "cinematic"),
            ("creative", "creative (social media)"),
        ],
    )
    person_generation = forms.ChoiceField(
        label="People",
        required=False,
        choices=[
            ("", "Default"),
            ("allow_adult", "allow_adult"),
            ("allow_all", "allow_all"),
            ("dont_allow", "dont_allow"),
        ],
    )
    image = forms.FileField(
        label="First frame (image)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    last_frame = forms.FileField(
        label="Last frame",
        required=False,
        help_text="Needs a first frame: the video goes from one to the other.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    reference_images = MultipleImageField(
        label="Reference images", required=False, help_text="Up to 3, for style or a character."
    )
    extend_video = forms.ChoiceField(
        label="Extend a video", required=False, help_text="One of your finished videos."
    )

    def __init__(
        self,
        *args: Any,
        offers: list[ProviderOffer],
        extend_choices: Mapping[str, list[tuple[str, str]]] | None = None,
        **kwargs: Any,
    ):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, offers=offers, **kwargs)
        # Only the picked provider's own videos can be extended by it.
        extendable = (extend_choices or {}).get(self.target_provider.name, [])
        self.fields["extend_video"].choices = [("", "No"), *extendable]

    def clean_frame_rate(self) -> str | None:
        text = self.cleaned_data["frame_rate"].strip()
        if not text:
            return None
        if not text.isdigit() or not 1 <= int(text) <= 60:
            raise forms.ValidationError('Give frames per second as a whole number, e.g. "24".')
        return str(int(text))

    def clean_image(self) -> InputImage | None:
        return input_image(self.cleaned_data.get("image"), "The first frame")

    def clean_last_frame(self) -> InputImage | None:
        return input_image(self.cleaned_data.get("last_frame"), "The last frame")

    def clean_reference_images(self) -> tuple[InputImage, ...]:
        uploads = self.cleaned_data.get("reference_images") or []
        if len(uploads) > MAX_REFERENCE_IMAGES:
            raise forms.ValidationError(
                f"Up to {MAX_REFERENCE_IMAGES} reference images; you chose {len(uploads)}."
            )
        images = [
            input_image(upload, f"Reference image {number}")
            for number, upload in enumerate(uploads, start=1)
        ]
        return tuple(image for image in images if image is not None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("last_frame") and not cleaned.get("image") and "image" not in self.errors:
            self.add_error("last_frame", "A last frame needs a first frame (image) to start from.")
        needs_eight = [
            label
            for name, label in (
                ("reference_images", "reference images"),
                ("last_frame", "a last frame"),
                ("extend_video", "extending a video"),
            )
            if cleaned.get(name)
        ]
        duration = cleaned.get("duration_seconds")
        if needs_eight and duration not in (None, 8):
            self.add_error(
                "duration_seconds",
                f"With {' and '.join(needs_eight)} the video must be 8 seconds long.",
            )
        return cleaned

    def request_values(self) -> dict[str, Any]:
        """The cleaned values in `VideoRequest`'s terms."""
        data = self.cleaned_data
        return {
            "provider": data["provider"],
            "model": data["model"],
            "prompt": data["prompt"],
            "aspect_ratio": data["aspect_ratio"] or None,
            "resolution": data["resolution"] or None,
            "duration_seconds": data["duration_seconds"],
            "frame_rate": data["frame_rate"],
            "negative_prompt": data["negative_prompt"] or None,
            "seed": data["seed"],
            "style": data["style"] or None,
            "person_generation": data["person_generation"] or None,
            "image": data["image"],
            "last_frame": data["last_frame"],
            "reference_images": data["reference_images"],
            "extend_video_id": data["extend_video"] or None,
        }
