from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from playground.accounts.models import UserHistory


def video_path(instance: VideoJob, filename: str) -> str:
    """Files sit in a folder per user under MEDIA_ROOT, named so nobody can guess them."""
    extension = filename.rpartition(".")[2]
    return f"videos/{instance.user_id}/{uuid.uuid4().hex}.{extension}"


class VideoJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


FINAL_STATUSES = frozenset({VideoJobStatus.COMPLETED, VideoJobStatus.FAILED})


class VideoJob(UserHistory):
    """A video being made upstream. This row is the truth about it: pages read it, and the
    page that shows a pending job asks the endpoint for news at most every few seconds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_jobs"
    )
    provider = models.CharField(max_length=64)
    model = models.CharField(max_length=140)
    prompt = models.TextField()
    # `VideoRequest.to_dict()`: what was sent (input images by name and size, not their bytes).
    request = models.JSONField()
    upstream_id = models.CharField(max_length=255)
    status = models.CharField(
        max_length=16, choices=VideoJobStatus.choices, default=VideoJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    # Final: why the endpoint failed the job. While pending: the last refresh's trouble.
    error = models.TextField(blank=True)
    last_problem = models.TextField(blank=True)
    download_attempts = models.PositiveSmallIntegerField(default=0)
    size = models.CharField(max_length=32, blank=True)
    file = models.FileField(upload_to=video_path, max_length=255, blank=True)
    mime_type = models.CharField(max_length=32, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"video job {self.pk} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def dimensions(self) -> tuple[int, int] | None:
        width, _, height = self.size.partition("x")
        return (int(width), int(height)) if width.isdigit() and height.isdigit() else None
