"""Writes for the batch workbench: submit, refresh from the upstream, cancel.

The `BatchJob` row is the truth, followed as every long job is (`playground.jobs.refresh`):
the upstream is asked at most once per `REFRESH_SECONDS` per batch, and the results are
downloaded once the batch is done and kept. No worker is needed and a restart loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from asgiref.sync import async_to_sync
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from playground.batches.jsonl import JsonlCheck
from playground.batches.models import BatchJob, BatchStatus
from playground.batches.results import results_in_input_order
from playground.jobs.refresh import JobFollowing, long_job_refresh
from playground.llm import (
    BatchState,
    Provider,
    UpstreamError,
    batch_output_read,
    cancel_batch,
    create_batch,
    download_file,
    provider_named,
    retrieve_batch,
    upload_batch_input,
)

REFRESH_SECONDS = 3.0
# A submission still "submitting" after this long was cut short (a restart mid-request).
SUBMIT_GIVE_UP = timedelta(minutes=5)


def _apply_state(job: BatchJob, state: BatchState, now: datetime) -> None:
    job.upstream_id = state.id
    if state.status in BatchStatus.values:
        job.status = state.status
    job.completed_count, job.failed_count = state.completed, state.failed
    job.total_count = state.total or job.request_count
    job.output_file_id, job.error_file_id = state.output_file_id, state.error_file_id
    job.upstream_errors = [
        {"line": error.line, "code": error.code, "message": error.message} for error in state.errors
    ]
    job.upstream_snapshot = state.raw
    if job.is_upstream_final and job.finished_at is None:
        job.finished_at = now


async def _submit(
    provider: Provider, content: bytes, display_name: str, endpoint: str
) -> tuple[str, BatchState | UpstreamError]:
    """The uploaded file's name, and the batch or why it could not be created."""
    file_id = await upload_batch_input(provider, content=content, display_name=display_name)
    try:
        return file_id, await create_batch(provider, input_file_id=file_id, endpoint=endpoint)
    except UpstreamError as error:
        return file_id, error


def batch_job_submit(
    *,
    user: AbstractBaseUser,
    provider: Provider,
    endpoint: str,
    display_name: str,
    check: JsonlCheck,
) -> BatchJob:
    """Uploads the checked lines and creates the batch. A failure is kept on the job."""
    if not check.ok:
        raise ValueError("Only a clean file can be submitted.")
    job = BatchJob.objects.create(
        user=user,
        provider_name=provider.name,
        base_url=provider.base_url,
        display_name=display_name,
        endpoint=endpoint,
        input_jsonl=check.jsonl,
        request_count=len(check.lines),
        total_count=len(check.lines),
        models_used=sorted(check.models),
    )
    try:
        file_id, outcome = async_to_sync(_submit)(
            provider, check.jsonl.encode("utf-8"), display_name, endpoint
        )
    except UpstreamError as error:
        file_id, outcome = "", error
    now = timezone.now()
    job.input_file_id = file_id
    if isinstance(outcome, UpstreamError):
        job.status, job.error, job.finished_at = BatchStatus.SUBMIT_FAILED, outcome.as_dict(), now
    else:
        job.submitted_at = job.refreshed_at = now
        _apply_state(job, outcome, now)
    job.save()
    return job


@dataclass(frozen=True, slots=True)
class BatchNews:
    """What one look at the upstream learnt: the batch's state, its output, or a problem."""

    state: BatchState | None = None
    output: str | None = None
    problem: UpstreamError | None = None


async def _fetch_results(provider: Provider, file_ids: tuple[str, str]) -> str:
    parts = []
    for file_id in file_ids:
        if file_id:
            parts.append((await download_file(provider, file_id)).decode("utf-8", "replace"))
    return "".join(part if part.endswith("\n") else part + "\n" for part in parts if part)


async def batch_job_look(job: BatchJob) -> BatchNews:
    """Asks the upstream about the batch and, once it is over, fetches its output. No writes."""
    provider = provider_named(job.provider_name)
    if provider is None:
        return BatchNews(
            problem=UpstreamError(
                f"The provider “{job.provider_name}” is no longer configured.", kind="connection"
            )
        )
    state = None
    try:
        if not job.is_upstream_final:
            state = await retrieve_batch(provider, job.upstream_id)
        over = state.is_final if state else True
        file_ids = (
            (state.output_file_id, state.error_file_id)
            if state
            else (job.output_file_id, job.error_file_id)
        )
        if over and any(file_ids) and job.results_fetched_at is None:
            return BatchNews(state=state, output=await _fetch_results(provider, file_ids))
    except UpstreamError as problem:
        return BatchNews(state=state, problem=problem)
    return BatchNews(state=state)


def batch_job_record(job_id: int, news: BatchNews, now: datetime) -> BatchJob:
    """Writes what a look learnt; the last failed call is kept until a good one clears it."""
    job = BatchJob.objects.get(pk=job_id)
    if job.is_settled:
        return job
    if news.state is not None:
        _apply_state(job, news.state, now)
    if news.output is not None:
        output = batch_output_read(news.output)
        ordered = results_in_input_order(output.results, job.custom_ids())
        job.output_jsonl, job.unreadable_lines = news.output, output.unreadable
        job.results = [result.as_dict() for result in ordered]
        job.results_fetched_at = now
    job.error = news.problem.as_dict() if news.problem else None
    job.refreshed_at = now
    job.save()
    return job


def _submission_given_up(job: BatchJob, now: datetime) -> BatchJob:
    if now - job.created_at > SUBMIT_GIVE_UP:
        job.status, job.finished_at = BatchStatus.SUBMIT_FAILED, now
        job.error = UpstreamError(
            "The submission was interrupted before the batch was created.", kind="connection"
        ).as_dict()
        job.save(update_fields=["status", "finished_at", "error"])
    return job


def batch_job_refresh(*, job: BatchJob, now: datetime | None = None) -> BatchJob:
    """Brings the job up to date if it is due; returns it as stored."""
    now = now or timezone.now()
    if job.status == BatchStatus.SUBMITTING:
        # Nothing upstream to ask yet: the submitting request itself finishes the row.
        return _submission_given_up(job, now)
    following = JobFollowing(
        model=BatchJob,
        checked_at_field="refreshed_at",
        every_seconds=REFRESH_SECONDS,
        is_settled=lambda job: job.is_settled,
        look=batch_job_look,
        record=batch_job_record,
    )
    return async_to_sync(long_job_refresh)(job=job, following=following, now=now)


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    job: BatchJob
    error: UpstreamError | None = None


def batch_job_cancel(*, job: BatchJob) -> CancelOutcome:
    provider = provider_named(job.provider_name)
    if not job.is_cancellable or provider is None:
        return CancelOutcome(job, UpstreamError("This batch cannot be cancelled now."))
    now = timezone.now()
    try:
        state = async_to_sync(cancel_batch)(provider, job.upstream_id)
    except UpstreamError as error:
        return CancelOutcome(job, error)
    _apply_state(job, state, now)
    job.refreshed_at, job.error = now, None
    job.save()
    return CancelOutcome(job)
