from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

# What is stored: images re-encoded as PNG or JPEG, sound kept as WAV or MP3.
EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "audio/wav": ".wav", "audio/mpeg": ".mp3"}


def stored_name(attachment: Attachment, filename: str) -> str:
    """`attachments/<user id>/<attachment id>-file.png`: a folder per owner, no user's names.

    `filename` is chosen by the service (`file.png`, `thumbnail.webp`), never by the uploader.
    """
    return f"attachments/{attachment.owner_id}/{attachment.pk}-{filename}"


class Attachment(models.Model):
    """An image or audio clip a user uploaded, checked and stored as it will be sent."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        AUDIO = "audio", "Audio"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to=stored_name, max_length=255)
    # Images only: a small WebP for cards; audio has none.
    thumbnail = models.FileField(upload_to=stored_name, max_length=255, blank=True)
    mime_type = models.CharField(max_length=32)
    byte_size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    # Of the stored bytes, which are exactly the bytes sent upstream.
    sha256 = models.CharField(max_length=64)
    # What the checks changed on the way in (orientation, colours, size), shown on the card.
    notes = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="audio", duration_seconds__isnull=False)
                | models.Q(kind="image", width__isnull=False, height__isnull=False),
                name="media_attachment_measured",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name or self.pk}"

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    @property
    def audio_format(self) -> str:
        """The `input_audio.format` value: `wav` or `mp3`."""
        return "mp3" if self.mime_type == "audio/mpeg" else "wav"

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.mime_type, "")

    @property
    def format_label(self) -> str:
        labels = {"image/png": "PNG", "image/jpeg": "JPEG", "audio/mpeg": "MP3"}
        return labels.get(self.mime_type, "WAV")

    @property
    def short_sha256(self) -> str:
        return self.sha256[:12]


class AttachedInOrder(models.Model):
    """An attachment's place in what it was sent with (a chat turn, a comparison, a deck step),
    kept while that is: the concrete model adds the owner's key and a once-only constraint."""

    attachment = models.ForeignKey("media.Attachment", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
