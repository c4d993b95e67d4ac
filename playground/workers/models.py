"""Which server process streams which reply, so a restart only marks replies that were cut off.

With one process, every reply still `streaming` at start-up was cut off by the last stop. With
several workers on one database that is no longer true: another worker may be streaming right
now. Each serving process is a `Worker` with a heartbeat; each reply it streams carries a
`RunClaim` naming it. Only replies whose worker is gone (its heartbeat stale, or its process
no longer running on this machine) are marked interrupted.
"""

from __future__ import annotations

from django.db import models


class Worker(models.Model):
    """A serving process. Its heartbeat is written every WORKER_HEARTBEAT_SECONDS."""

    id = models.CharField(primary_key=True, max_length=32)
    # Host name plus PID namespace: a PID is only meaningful where it was given.
    host = models.CharField(max_length=300)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-heartbeat_at"]

    def __str__(self) -> str:
        return f"worker {self.pid} on {self.host}"


class RunClaim(models.Model):
    """The worker that streams one chat turn or one compare pane."""

    class Kind(models.TextChoices):
        TURN = "turn", "Chat turn"
        PANE = "pane", "Compare pane"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    # Not a foreign key: a process that has not written its first heartbeat yet may claim.
    worker_id = models.CharField(max_length=32, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="run_claim_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} on worker {self.worker_id}"
