"""Heartbeats, claims, and marking replies whose worker is gone as interrupted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from playground.workers.identity import THIS_PROCESS, is_gone
from playground.workers.models import RunClaim, Worker
from playground.workers.stream_sources import stream_sources

# Finished workers are forgotten after this long.
WORKER_RECORD_DAYS = 2


def stale_seconds() -> float:
    """How long a silent worker is still believed alive: several missed heartbeats."""
    return max(30.0, 6 * settings.WORKER_HEARTBEAT_SECONDS)


def worker_beat() -> None:
    """This process is alive (the first call registers it)."""
    now = timezone.now()
    updated = Worker.objects.filter(pk=THIS_PROCESS.id).update(heartbeat_at=now)
    if not updated:
        Worker.objects.update_or_create(
            pk=THIS_PROCESS.id,
            defaults={"host": THIS_PROCESS.host, "pid": THIS_PROCESS.pid, "heartbeat_at": now},
            create_defaults={"host": THIS_PROCESS.host, "pid": THIS_PROCESS.pid,
                             "heartbeat_at": now, "started_at": now},
        )  # fmt: skip


def runs_claim(*, kind: str, ids: Iterable[int]) -> None:
    """This process streams these turns or panes (call in the transaction that made them)."""
    claims = [RunClaim(kind=kind, object_id=pk, worker_id=THIS_PROCESS.id) for pk in ids]
    # An id can come back after its row was deleted (SQLite): the new run takes the claim.
    RunClaim.objects.bulk_create(
        claims,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["worker_id", "created_at"],
    )


def live_worker_ids() -> set[str]:
    """Workers with a recent heartbeat whose process is not known to have stopped."""
    since = timezone.now() - timedelta(seconds=stale_seconds())
    fresh = Worker.objects.filter(heartbeat_at__gte=since).values_list("id", "host", "pid")
    live = {wid for wid, host, pid in fresh if not is_gone(host=host, pid=pid, worker_id=wid)}
    return live | {THIS_PROCESS.id}


def streams_interrupt_orphaned() -> int:
    """Mark interrupted every streaming turn and pane whose worker is gone; returns how many.

    A run claimed by a live worker is left alone. An unclaimed run (made by code that does
    not claim) is only taken for cut off once it is older than a stale heartbeat.
    """
    live = live_worker_ids()
    old = timezone.now() - timedelta(seconds=stale_seconds())
    count = 0
    for source in stream_sources():  # chat turns, compare panes: registered by their apps
        claims = RunClaim.objects.filter(kind=source.kind)
        held = claims.filter(worker_id__in=live).values("object_id")
        dropped = claims.exclude(worker_id__in=live).values("object_id")
        orphaned = (
            source.streaming_rows()
            .exclude(pk__in=held)
            .filter(Q(pk__in=dropped) | Q(**{f"{source.created_field}__lt": old}))
        )
        count += source.mark_interrupted(list(orphaned.values_list("pk", flat=True)))
        claims.exclude(object_id__in=source.streaming_rows().values("pk")).delete()
    Worker.objects.filter(
        heartbeat_at__lt=timezone.now() - timedelta(days=WORKER_RECORD_DAYS)
    ).delete()
    return count
