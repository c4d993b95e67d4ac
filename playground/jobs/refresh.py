"""Following a long job on its endpoint: at most one look per job every few seconds.

DESIGN.md "Long jobs": the job row is the truth. A page that shows an unsettled job asks for a
refresh every couple of seconds; the endpoint is asked only when nobody has asked in the last
`every_seconds`, whoever asks and however many server processes there are, because the claim
is one conditional UPDATE that only one request can win. The look (a status call, a download)
writes nothing; what it learnt is written afterwards in one step. A settled job is never looked
at again, so the page stops polling and the endpoint stops being asked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from asgiref.sync import sync_to_async
from django.db.models import Model, Q
from django.utils import timezone


@dataclass(frozen=True, slots=True)
class JobFollowing[Job: Model, News]:
    """How one kind of long job is followed: where its claim is kept and what a look does."""

    model: type[Job]
    # The timestamp the claim moves forward; empty means "never looked at".
    checked_at_field: str
    every_seconds: float
    is_settled: Callable[[Job], bool]
    # Asks the endpoint about the job (and downloads what is done); writes nothing.
    look: Callable[[Job], Awaitable[News]]
    # Writes what a look learnt, given the job's id and the claim's time; returns the stored job.
    record: Callable[[int, News, datetime], Job]
    # Rows the claim may still take: a job that settled meanwhile is not looked at again.
    open_rows: Q = field(default_factory=Q)


def long_job_claim(*, following: JobFollowing, job_id: int, now: datetime) -> bool:
    """True for the one caller that may ask the endpoint about this job now."""
    checked_at = following.checked_at_field
    stale = now - timedelta(seconds=following.every_seconds)
    due = Q(**{f"{checked_at}__isnull": True}) | Q(**{f"{checked_at}__lte": stale})
    claimed = following.model._default_manager.filter(due, following.open_rows, pk=job_id).update(
        **{checked_at: now}
    )
    return claimed == 1


async def long_job_refresh[Job: Model, News](
    *, job: Job, following: JobFollowing[Job, News], now: datetime | None = None
) -> Job:
    """The job brought up to date if it is due for a look; as it is otherwise."""
    if following.is_settled(job):
        return job
    now = now or timezone.now()
    claimed = await sync_to_async(long_job_claim)(following=following, job_id=job.pk, now=now)
    if not claimed:
        return job
    news = await following.look(job)
    return await sync_to_async(following.record)(job.pk, news, now)
