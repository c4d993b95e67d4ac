"""Writing video jobs: creating them, and bringing one up to date with its endpoint.

Followed as every long job is (`playground.jobs.refresh`): the endpoint is asked at most once
per `REFRESH_SECONDS` per job. When it says the video is done, the video is downloaded once
into media storage; only then is the job completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from playground.jobs.refresh import JobFollowing, long_job_refresh
from playground.llm import (
    COMPLETED,
    FAILED,
    DownloadedVideo,
    UpstreamError,
    VideoRequest,
    VideoStatus,
    download_video,
    provider_named,
    retrieve_video,
)
from playground.video.models import FINAL_STATUSES, VideoJob, VideoJobStatus

REFRESH_SECONDS = 3.0
DOWNLOAD_ATTEMPTS = 5
# Answers that will not change by asking again: the job is over.
PERMANENT_STATUS_CODES = frozenset({400, 401, 403, 404})


@dataclass(frozen=True, slots=True)
class Refresh:
    """What one refresh learnt: a status, a downloaded video, or a problem."""

    status: VideoStatus | None = None
    video: DownloadedVideo | None = None
    problem: UpstreamError | None = None


def _pending_status(status: VideoStatus) -> str:
    return VideoJobStatus.QUEUED if status.status == "queued" else VideoJobStatus.IN_PROGRESS


def video_job_create(
    *, user: AbstractBaseUser, request: VideoRequest, status: VideoStatus
) -> VideoJob:
    job = VideoJob(
        user=user,
        provider=request.provider,
        model=request.model,
        prompt=request.prompt,
        request=request.to_dict(),
        upstream_id=status.id,
        last_checked_at=timezone.now(),
    )
    _apply(job, status)
    if status.status == COMPLETED:
        # Not completed here until the bytes are stored: the first refresh fetches them.
        job.status, job.progress = VideoJobStatus.IN_PROGRESS, 100
    job.save()
    return job


def _apply(job: VideoJob, status: VideoStatus) -> None:
    job.size = str(status.raw.get("size") or job.size)[:32]
    if status.status == FAILED:
        job.status, job.error, job.finished_at = VideoJobStatus.FAILED, status.error, timezone.now()
        return
    job.status = _pending_status(status)
    job.progress = status.progress if status.progress is not None else job.progress


async def refresh_from_upstream(job: VideoJob) -> Refresh:
    """Asks the endpoint about a job and, once it is done, fetches the video. No writes."""
    if provider_named(job.provider) is None:
        return Refresh(
            problem=UpstreamError(
                f"The provider {job.provider!r} that made this video is not configured now.",
                kind="connection",
            )
        )
    try:
        status = await retrieve_video(job.provider, job.upstream_id)
    except UpstreamError as problem:
        return Refresh(problem=problem)
    if status.status != COMPLETED:
        return Refresh(status=status)
    try:
        return Refresh(status=status, video=await download_video(job.provider, status))
    except UpstreamError as problem:
        return Refresh(status=status, problem=problem)


def video_job_record(*, job_id: int, refresh: Refresh) -> VideoJob:
    """Writes what a refresh learnt; a completed video is stored before the job says so."""
    job = VideoJob.objects.get(pk=job_id)
    if job.is_final:
        return job
    if refresh.status is not None:
        _apply(job, refresh.status)
    if refresh.video is not None:
        name = f"video.{refresh.video.extension}"
        job.file.save(name, ContentFile(refresh.video.data), save=False)
        job.mime_type, job.size_bytes = refresh.video.mime_type, len(refresh.video.data)
        job.status, job.progress, job.finished_at = VideoJobStatus.COMPLETED, 100, timezone.now()
        job.last_problem = ""
    elif refresh.problem is not None:
        _record_problem(job, refresh)
    elif job.status != VideoJobStatus.FAILED:
        job.last_problem = ""
    job.save()
    return job


def _record_problem(job: VideoJob, refresh: Refresh) -> None:
    problem = refresh.problem
    assert problem is not None
    downloading = refresh.status is not None and refresh.status.status == COMPLETED
    if downloading:
        job.download_attempts += 1
    permanent = problem.status_code in PERMANENT_STATUS_CODES and not downloading
    if permanent or job.download_attempts >= DOWNLOAD_ATTEMPTS:
        what = "The video could not be downloaded" if downloading else "The endpoint refused"
        job.status, job.finished_at = VideoJobStatus.FAILED, timezone.now()
        job.error = f"{what}: {problem}"
        return
    job.last_problem = str(problem)


def _record_look(job_id: int, refresh: Refresh, now: datetime) -> VideoJob:
    return video_job_record(job_id=job_id, refresh=refresh)


async def video_job_refresh(*, job: VideoJob) -> VideoJob:
    """The job brought up to date if it is due for a look; as it is otherwise."""
    following = JobFollowing(
        model=VideoJob,
        checked_at_field="last_checked_at",
        every_seconds=REFRESH_SECONDS,
        is_settled=lambda job: job.is_final,
        look=refresh_from_upstream,
        record=_record_look,
        open_rows=~Q(status__in=FINAL_STATUSES),
    )
    return await long_job_refresh(job=job, following=following)


def video_job_delete(*, job: VideoJob) -> None:
    stored = job.file
    job.delete()
    if stored:
        stored.delete(save=False)
