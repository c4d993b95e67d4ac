from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from playground.accounts.models import UserHistory


def image_path(instance: GeneratedImage, filename: str) -> str:
    """Files sit in a folder per user under MEDIA_ROOT, named so nobody can guess them."""
    extension = filename.rpartition(".")[2]
    return f"images/{instance.generation.user_id}/{uuid.uuid4().hex}.{extension}"


class ImageGeneration(UserHistory):
    """One request to an image model, with the settings it was sent with."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="image_generations"
    )
    provider = models.CharField(max_length=64)
    model = models.CharField(max_length=140)
    prompt = models.TextField()
    # `ImageRequest.to_dict()`: what was sent, to show, export as code and send again.
    request = models.JSONField()

    def __str__(self) -> str:
        return f"{self.model}: {self.prompt[:40]}"


class GeneratedImage(models.Model):
    generation = models.ForeignKey(ImageGeneration, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=image_path, max_length=255)
    thumbnail = models.FileField(upload_to=image_path, max_length=255)
    # Found from the bytes (PNG or WEBP, JPEG at a pinch), not from what the endpoint claimed.
    mime_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()

    class Meta:
        ordering = ["generation", "position"]

    def __str__(self) -> str:
        return f"image {self.position} of generation {self.generation_id}"

    @property
    def extension(self) -> str:
        return self.file.name.rpartition(".")[2]
