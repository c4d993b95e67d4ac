"""Reading video jobs and the provider's video models."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from playground.catalog.selectors import model_listing_get
from playground.get_code.snippets import Snippet, snippets_render
from playground.llm.catalog import VIDEO_GENERATION, capabilities_of
from playground.llm.code_requests import file_name_for, video_code_request
from playground.llm.errors import UpstreamError
from playground.llm.providers import active_provider, provider_named
from playground.llm.videos import VideoRequest
from playground.video.models import VideoJob, VideoJobStatus

JOB_LIST_SIZE = 50
DEFAULT_VIDEO_MODEL = "veo-3.1-generate-preview"


@dataclass(frozen=True, slots=True)
class SettingLine:
    name: str
    value: str


async def video_model_ids() -> list[str]:
    """Bare ids of the active provider's Veo models; [] when the list is unavailable, which
    means "accept any id and let the endpoint decide"."""
    try:
        listing = await model_listing_get(provider=active_provider())
    except UpstreamError:
        return []
    return [m.bare_id for m in listing.models if VIDEO_GENERATION in capabilities_of(m.bare_id)]


def default_video_model(model_ids: list[str]) -> str:
    if DEFAULT_VIDEO_MODEL in model_ids or not model_ids:
        return DEFAULT_VIDEO_MODEL
    return model_ids[0]


def jobs_of(user: AbstractBaseUser) -> list[VideoJob]:
    return list(VideoJob.objects.filter(user=user)[:JOB_LIST_SIZE])


def job_of(user: AbstractBaseUser, job_id: int) -> VideoJob | None:
    return VideoJob.objects.filter(pk=job_id, user=user).first()


def extendable_videos(user: AbstractBaseUser) -> list[tuple[str, str]]:
    """(upstream id, label) of the user's finished videos on the active provider."""
    jobs = VideoJob.objects.filter(
        user=user, status=VideoJobStatus.COMPLETED, provider=active_provider().name
    )[:JOB_LIST_SIZE]
    return [(job.upstream_id, f"#{job.pk}: {job.prompt[:60]}") for job in jobs]


def request_of(job: VideoJob) -> VideoRequest:
    return VideoRequest.from_dict(job.request)


def setting_lines(request: VideoRequest) -> list[SettingLine]:
    """What was sent besides model and prompt, in words for the job card."""
    plain = (
        "aspect_ratio",
        "resolution",
        "duration_seconds",
        "frame_rate",
        "negative_prompt",
        "seed",
        "style",
        "person_generation",
        "extend_video_id",
    )
    lines = [
        SettingLine(name, str(getattr(request, name)))
        for name in plain
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


def job_card(job: VideoJob) -> JobCard:
    request = request_of(job)
    provider = provider_named(job.provider) or active_provider()
    code = video_code_request(request, base_url=provider.base_url, video_id=job.upstream_id)
    return JobCard(
        job=job,
        settings=setting_lines(request),
        snippets=snippets_render(code=code),
        code_id=f"job-{job.pk}-code",
        code_files=code.file_names,
        provider_label=provider.label,
        is_emulator=provider.is_emulator,
    )
