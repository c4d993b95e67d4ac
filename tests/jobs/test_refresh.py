"""Following a long job: one claim per interval wins, a settled job is left alone, and what a
look learnt is written with the claim's time."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from asgiref.sync import async_to_sync
from django.db.models import Q
from django.utils import timezone

from playground.jobs.refresh import JobFollowing, long_job_claim, long_job_refresh
from playground.video.models import FINAL_STATUSES, VideoJob, VideoJobStatus

pytestmark = pytest.mark.django_db

EVERY = 3.0


@dataclass
class Endpoint:
    """Stands in for the upstream: counts looks, and each look takes a moment."""

    looks: list[int] = field(default_factory=list)
    recorded: list[tuple[int, str, datetime]] = field(default_factory=list)

    async def look(self, job: VideoJob) -> str:
        self.looks.append(job.pk)
        await asyncio.sleep(0.05)  # another refresh gets its turn meanwhile
        return f"news {len(self.looks)}"

    def record(self, job_id: int, news: str, now: datetime) -> VideoJob:
        self.recorded.append((job_id, news, now))
        VideoJob.objects.filter(pk=job_id).update(last_problem=news)
        return VideoJob.objects.get(pk=job_id)

    def following(self) -> JobFollowing[VideoJob, str]:
        return JobFollowing(
            model=VideoJob,
            checked_at_field="last_checked_at",
            every_seconds=EVERY,
            is_settled=lambda job: job.is_final,
            look=self.look,
            record=self.record,
            open_rows=~Q(status__in=FINAL_STATUSES),
        )


@pytest.fixture
def job(django_user_model) -> VideoJob:
    user = django_user_model.objects.create_user("ada", password=None)
    return VideoJob.objects.create(
        user=user, provider="emulator", model="veo-3.1-generate-preview", prompt="A waterfall",
        request={}, upstream_id="video_1", status=VideoJobStatus.IN_PROGRESS,
    )  # fmt: skip


def refreshed(job: VideoJob, endpoint: Endpoint, now: datetime | None = None) -> VideoJob:
    return async_to_sync(long_job_refresh)(job=job, following=endpoint.following(), now=now)


def test_of_two_refreshes_at_once_only_one_asks_the_endpoint(job: VideoJob) -> None:
    endpoint = Endpoint()

    async def both() -> list[VideoJob]:
        following = endpoint.following()
        return await asyncio.gather(
            long_job_refresh(job=job, following=following),
            long_job_refresh(job=job, following=following),
        )

    first, second = async_to_sync(both)()

    assert endpoint.looks == [job.pk]
    assert {first.last_problem, second.last_problem} == {"news 1", ""}


def test_of_two_claims_at_the_same_moment_only_one_wins(job: VideoJob) -> None:
    following, now = Endpoint().following(), timezone.now()

    claims = [long_job_claim(following=following, job_id=job.pk, now=now) for _ in range(2)]

    assert claims == [True, False]


def test_the_endpoint_is_asked_again_once_the_interval_has_passed(job: VideoJob) -> None:
    endpoint, start = Endpoint(), timezone.now()

    refreshed(job, endpoint, now=start)
    refreshed(job, endpoint, now=start + timedelta(seconds=EVERY - 1))
    later = refreshed(job, endpoint, now=start + timedelta(seconds=EVERY))

    assert endpoint.looks == [job.pk, job.pk]
    assert later.last_problem == "news 2"
    assert later.last_checked_at == start + timedelta(seconds=EVERY)


def test_what_a_look_learnt_is_recorded_with_the_claims_time(job: VideoJob) -> None:
    endpoint, now = Endpoint(), timezone.now()

    refreshed(job, endpoint, now=now)

    assert endpoint.recorded == [(job.pk, "news 1", now)]


def test_a_settled_job_is_never_looked_at(job: VideoJob) -> None:
    endpoint = Endpoint()
    job.status = VideoJobStatus.COMPLETED
    job.save()

    returned = refreshed(job, endpoint)

    assert endpoint.looks == [] and returned is job
    assert VideoJob.objects.get(pk=job.pk).last_checked_at is None


def test_a_job_that_settled_elsewhere_meanwhile_is_not_claimed(job: VideoJob) -> None:
    endpoint = Endpoint()
    VideoJob.objects.filter(pk=job.pk).update(status=VideoJobStatus.FAILED)

    refreshed(job, endpoint)

    assert endpoint.looks == []
