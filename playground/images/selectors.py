"""Reading the gallery."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from playground.images.models import GeneratedImage, ImageGeneration
from playground.limits.json_depth import SETTINGS_MAX_DEPTH, json_loads_bounded
from playground.llm import ImageRequest, provider_shown

GALLERY_SIZE = 60


@dataclass(frozen=True, slots=True)
class SettingLine:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class GalleryEntry:
    generation: ImageGeneration
    images: list[GeneratedImage]
    settings: list[SettingLine]
    # The provider's label when there are several to tell apart, else "".
    provider: str = ""


def gallery_of(user: AbstractBaseUser) -> list[GalleryEntry]:
    """The user's latest generations with their images and settings, read in two queries."""
    generations = ImageGeneration.objects.filter(user=user).prefetch_related("images")
    return [
        GalleryEntry(
            generation=generation,
            images=list(generation.images.all()),
            settings=setting_lines(request_of(generation)),
            provider=provider_shown(generation.provider),
        )
        for generation in generations[:GALLERY_SIZE]
    ]


def generation_of(user: AbstractBaseUser, generation_id: int) -> ImageGeneration | None:
    return ImageGeneration.objects.filter(pk=generation_id, user=user).first()


def image_of(user: AbstractBaseUser, image_id: int) -> GeneratedImage | None:
    return (
        GeneratedImage.objects.select_related("generation")
        .filter(pk=image_id, generation__user=user)
        .first()
    )


def request_of(generation: ImageGeneration) -> ImageRequest:
    return ImageRequest.from_dict(_readable_settings(generation.request))


def _readable_settings(stored: dict) -> dict:
    """The stored request without a JSON setting no page could show (nested thousands deep:
    kept before the form bounded it), so such a row still opens instead of failing every time."""
    readable = dict(stored)
    for name in ("generation_config_json", "safety_settings_json"):
        text = readable.get(name)
        if not isinstance(text, str) or not text:
            continue
        try:
            json_loads_bounded(text, max_depth=SETTINGS_MAX_DEPTH, max_chars=len(text))
        except ValueError:
            readable[name] = ""
    return readable


def setting_lines(request: ImageRequest) -> list[SettingLine]:
    """What was sent besides model and prompt, in words for the gallery."""
    lines = [
        SettingLine("n", str(request.n)),
        SettingLine("response_format", request.response_format),
    ]
    if request.size:
        lines.append(SettingLine("size", request.size))
    if request.aspect_ratio:
        lines.append(SettingLine("aspect_ratio", request.aspect_ratio))
    if request.generation_config_json:
        lines.append(SettingLine("generation_config", request.generation_config_json))
    if request.safety_settings_json:
        lines.append(SettingLine("safety_settings", request.safety_settings_json))
    if request.google_search:
        lines.append(SettingLine("tools", '[{"google_search": {}}]'))
    return lines
