from __future__ import annotations

import json

from django.conf import settings
from django.db import models

from playground.accounts.models import UserHistory


class BatchStatus(models.TextChoices):
    # Ours: the upload or the create call is under way, or failed before a batch existed.
    SUBMITTING = "submitting", "Submitting"
    SUBMIT_FAILED = "submit_failed", "Not submitted"
    # The upstream's, as the openai SDK names them.
    VALIDATING = "validating", "Validating"
    IN_PROGRESS = "in_progress", "In progress"
    FINALIZING = "finalizing", "Finalizing"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"
    CANCELLING = "cancelling", "Cancelling"
    CANCELLED = "cancelled", "Cancelled"


UPSTREAM_FINAL = frozenset(
    {BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.EXPIRED, BatchStatus.CANCELLED}
)
CANCELLABLE = frozenset({BatchStatus.VALIDATING, BatchStatus.IN_PROGRESS, BatchStatus.FINALIZING})


class BatchJob(UserHistory):
    """One batch, as the playground knows it. This row is the truth the page shows; the
    upstream is asked again at most every few seconds while the batch is not settled."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="batch_jobs"
    )
    provider_name = models.CharField(max_length=64)
    # Where it was sent, for "Get code" and to keep asking the same place (never the key).
    base_url = models.CharField(max_length=500)
    display_name = models.CharField(max_length=120)
    endpoint = models.CharField(max_length=40)
    input_jsonl = models.TextField()
    request_count = models.PositiveIntegerField()
    models_used = models.JSONField(default=list, blank=True)
    input_file_id = models.CharField(max_length=200, blank=True)
    upstream_id = models.CharField(max_length=200, blank=True, db_index=True)
    status = models.CharField(
        max_length=16, choices=BatchStatus.choices, default=BatchStatus.SUBMITTING
    )
    completed_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    total_count = models.PositiveIntegerField(default=0)
    # The upstream's own list of problems (a batch that failed validation).
    upstream_errors = models.JSONField(default=list, blank=True)
    upstream_snapshot = models.JSONField(null=True, blank=True)
    # The last failed call (UpstreamError.as_dict()); cleared by the next good one.
    error = models.JSONField(null=True, blank=True)
    output_file_id = models.CharField(max_length=200, blank=True)
    error_file_id = models.CharField(max_length=200, blank=True)
    output_jsonl = models.TextField(blank=True)
    results = models.JSONField(null=True, blank=True)
    unreadable_lines = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    results_fetched_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.display_name} ({self.status})"

    @property
    def is_upstream_final(self) -> bool:
        return self.status in UPSTREAM_FINAL

    @property
    def has_results_to_fetch(self) -> bool:
        return bool(self.output_file_id or self.error_file_id) and self.results_fetched_at is None

    @property
    def is_settled(self) -> bool:
        """Nothing more will change: the page stops asking."""
        if self.status == BatchStatus.SUBMIT_FAILED:
            return True
        return self.is_upstream_final and not self.has_results_to_fetch

    @property
    def is_cancellable(self) -> bool:
        return self.status in CANCELLABLE and bool(self.upstream_id)

    @property
    def done_count(self) -> int:
        return self.completed_count + self.failed_count

    def custom_ids(self) -> list[str]:
        return [json.loads(line)["custom_id"] for line in self.input_jsonl.splitlines() if line]
