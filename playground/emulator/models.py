"""What the emulator keeps between requests (videos, files, batches): a restart loses none."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class EmulatedVideo(models.Model):
    """One `POST /videos`. Its status is not stored: it follows from the time since
    `created_at` (see `video_jobs.video_state`), so no worker has to move it along."""

    id = models.CharField(primary_key=True, max_length=40)
    # The digest of the API key that made it (access.key_owner): no other key reaches it.
    owner = models.CharField(max_length=64, db_index=True)
    model = models.CharField(max_length=100)
    prompt = models.TextField()
    # The request's Veo options as checked (aspect_ratio, resolution, seed, style, ...).
    options = models.JSONField(default=dict, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    seconds = models.PositiveIntegerField()
    frame_rate = models.PositiveIntegerField()
    # Why the job will fail when its time is up ("" when it will succeed), decided at creation.
    failure = models.TextField(blank=True)
    # Small PNGs of the first and last frame the request sent, drawn into the video.
    first_frame = models.BinaryField(null=True, blank=True)
    last_frame = models.BinaryField(null=True, blank=True)
    # The MP4, drawn on the first download; the same request always gives the same bytes.
    mp4 = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"emulated video {self.id}"


class FileSource(models.TextChoices):
    UPLOADED = "UPLOADED", "Uploaded"
    GENERATED = "GENERATED", "Generated"


class FileState(models.TextChoices):
    UPLOADING = "UPLOADING", "Uploading"
    ACTIVE = "ACTIVE", "Active"


class EmulatedFile(models.Model):
    """A file of the emulated Files API (batch input and output)."""

    # Unique per owner: each key names its own files.
    name = models.CharField(max_length=40)
    owner = models.CharField(max_length=64, db_index=True)
    display_name = models.CharField(max_length=512, blank=True)
    mime_type = models.CharField(max_length=255)
    source = models.CharField(max_length=16, choices=FileSource.choices)
    state = models.CharField(max_length=16, choices=FileState.choices)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    content = models.BinaryField(default=b"")
    upload_id = models.CharField(max_length=64, blank=True, db_index=True)
    # Base64 of the hex digest, as Gemini sends it: 88 characters (PostgreSQL enforces it).
    sha256_hash = models.CharField(max_length=88, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="emulated_file_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class BatchStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    FAILED = "failed", "Failed"
    COMPLETED = "completed", "Completed"
    CANCELLING = "cancelling", "Cancelling"
    CANCELLED = "cancelled", "Cancelled"


class EmulatedBatch(models.Model):
    """A batch of the emulated `/batches` API; progress follows from the time since creation."""

    name = models.CharField(max_length=64, unique=True)
    owner = models.CharField(max_length=64, db_index=True)
    endpoint = models.CharField(max_length=64)
    completion_window = models.CharField(max_length=16, default="24h")
    metadata = models.JSONField(null=True, blank=True)
    input_file_name = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=BatchStatus.choices)
    run_seconds = models.FloatField()
    input_lines = models.TextField(blank=True)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    output_lines = models.TextField(blank=True)
    errors = models.JSONField(null=True, blank=True)
    output_file_name = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()
    in_progress_at = models.DateTimeField(null=True, blank=True)
    finalizing_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    cancelling_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name
