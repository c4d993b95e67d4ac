"""Writing the gallery: storing generated images with their thumbnails, deleting them."""

from __future__ import annotations

import io

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from playground.images.models import GeneratedImage, ImageGeneration
from playground.llm import GeneratedImage as UpstreamImage
from playground.llm import ImageRequest

THUMBNAIL_SIDE = 384


class UnreadableImage(ValueError):
    """The endpoint sent bytes that look like an image but do not decode as one."""


def thumbnail_of(data: bytes) -> tuple[bytes, int, int]:
    """A WEBP thumbnail and the full image's width and height."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            width, height = picture.size
            small = picture.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableImage(f"The endpoint sent an image that cannot be read ({exc}).") from exc
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    buffer = io.BytesIO()
    small.save(buffer, "WEBP", quality=80)
    return buffer.getvalue(), width, height


def image_generation_store(
    *, user: AbstractBaseUser, request: ImageRequest, images: list[UpstreamImage]
) -> ImageGeneration:
    """One generation and its images, files and rows together: all of it or none of it."""
    prepared = [(image, *thumbnail_of(image.data)) for image in images]
    saved: list[GeneratedImage] = []
    try:
        with transaction.atomic():
            generation = ImageGeneration.objects.create(
                user=user,
                provider=request.provider,
                model=request.model,
                prompt=request.prompt,
                request=request.to_dict(),
            )
            for position, (image, thumbnail, width, height) in enumerate(prepared, start=1):
                stored = GeneratedImage(
                    generation=generation,
                    position=position,
                    mime_type=image.mime_type,
                    width=width,
                    height=height,
                    size_bytes=len(image.data),
                )
                saved.append(stored)
                stored.file.save(f"image.{image.extension}", ContentFile(image.data), save=False)
                stored.thumbnail.save("thumbnail.webp", ContentFile(thumbnail), save=False)
                stored.save()
    except BaseException:
        _remove_files(saved)
        raise
    return generation


def _remove_files(images: list[GeneratedImage]) -> None:
    for image in images:
        for stored in (image.file, image.thumbnail):
            if stored:
                stored.delete(save=False)


def generated_image_delete(*, image: GeneratedImage) -> None:
    """Removes one image and its files; a generation left without images goes too."""
    generation = image.generation
    with transaction.atomic():
        image.delete()
        if not generation.images.exists():
            generation.delete()
    _remove_files([image])
