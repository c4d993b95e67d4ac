"""Reading video jobs."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from playground.get_code.snippets import Snippet, snippets_render
from playground.llm import VideoRequest, file_name_for, provider_for, video_code_request
from playground.video.models import VideoJob, VideoJobStatus

JOB_LIST_SIZE = 50


@dataclass(frozen=True, slots=True)
class SettingLine:
    name: str
    value: str


def jobs_of(user: AbstractBaseUser) -> list[VideoJob]:
    return list(VideoJob.objects.filter(user=user)[:JOB_LIST_SIZE])


def job_of(user: AbstractBaseUser, job_id: int) -> VideoJob | None:
    return VideoJob.objects.filter(pk=job_id, user=user).first()


def extendable_videos(user: AbstractBaseUser) -> dict[str, list[tuple[str, str]]]:
    """(upstream id, label) of the user's finished videos by provider name: a video is
    extended by the provider that made it."""
    jobs = VideoJob.objects.filter(user=user, status=VideoJobStatus.COMPLETED)[:JOB_LIST_SIZE]
    by_provider: dict[str, list[tuple[str, str]]] = {}
    for job in jobs:
        by_provider.setdefault(job.provider, []).append(
            (job.upstream_id, f"#{job.pk}: {job.prompt[:60]}")
        )
    return by_provider


def request_of(job: VideoJob) -> VideoRequest:
    return VideoRequest.from_dict(job.request)


def setting_lines(request: VideoRequest) -> list[SettingLine]:
    """What was sent besides model and prompt, in words for the job card."""
    lines = [
        SettingLine(name, str(getattr(request, name)))
        for name in request.PLAIN_SETTINGS
        if getattr(request, name) not in (None, "")
    ]
    if request.image:
        lines.append(SettingLine("image", file_name_for(request.image, "first_frame.png")))
    if request.last_frame:
        lines.append(SettingLine("last_frame", file_name_for(request.last_frame, "last_frame.png")))
    if request.reference_images:
        names = [file_name_for(image, "reference.png") for image in request.reference_images]
        lines.append(SettingLine("reference_images", ", ".join(names)))
    return lines


@dataclass(frozen=True, slots=True)
class JobCard:
    job: VideoJob
    settings: list[SettingLine]
    snippets: list[Snippet]
    code_id: str
    code_files: list[str]
    provider_label: str
    is_emulator: bool
    key_variable: str


def job_card(job: VideoJob) -> JobCard:
    request = request_of(job)
    provider = provider_for(job.provider)
    code = video_code_request(
        request,
        base_url=provider.base_url,
        video_id=job.upstream_id,
        key_variable=provider.key_variable,
    )
    return JobCard(
        job=job,
        settings=setting_lines(request),
        snippets=snippets_render(code=code),
        code_id=f"job-{job.pk}-code",
        code_files=code.file_names,
        provider_label=provider.label,
        is_emulator=provider.is_emulator,
        key_variable=provider.key_variable,
    )
