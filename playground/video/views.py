from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from playground.catalog.selectors import ProviderOffer, provider_offers
from playground.error_pages import found_or_404
from playground.limits.admission import RequestRefused, requests_admit
from playground.llm import (
    VIDEO_GENERATION,
    UpstreamError,
    VideoRequest,
    configured_providers,
    create_video,
)
from playground.private_files import private_file_response
from playground.video.forms import VideoForm
from playground.video.models import VideoJob
from playground.video.selectors import extendable_videos, job_card, job_of, jobs_of
from playground.video.services import video_job_create, video_job_delete, video_job_refresh


def _own_job(user: AbstractBaseUser, pk: int) -> VideoJob:
    return found_or_404(job_of(user, pk), "video")


def _page_context(user: AbstractBaseUser, form: VideoForm, error: Exception | None) -> dict:
    return {
        "form": form,
        "error": error,
        "cards": [job_card(job) for job in jobs_of(user)],
        "provider": form.target_provider,
        # Some configured provider is OpenAI-compatible: it is not offered here.
        "only_gemini": len(form.providers) < len(configured_providers()),
    }


async def _form(user: AbstractBaseUser, offers: list[ProviderOffer], **kwargs: Any) -> VideoForm:
    return VideoForm(
        **kwargs, offers=offers, extend_choices=await sync_to_async(extendable_videos)(user)
    )


@require_http_methods(["GET", "POST"])
async def index(request: HttpRequest) -> HttpResponse:
    user = await request.auser()
    error: UpstreamError | None = None
    # Video generation is Gemini's own (Veo): an OpenAI-compatible provider is not offered.
    offers = await provider_offers(capability=VIDEO_GENERATION, gemini_only=True)
    if request.method == "POST":
        form = await _form(user, offers, data=request.POST, files=request.FILES)
        if form.is_valid():
            sent = VideoRequest(**form.request_values())
            try:
                await sync_to_async(requests_admit)(user_id=user.pk)
                status = await create_video(sent, provider=form.target_provider)
            except RequestRefused as refusal:  # nothing was sent or stored
                form.add_error(None, str(refusal))
            except UpstreamError as exc:
                error = exc
            else:
                job = await sync_to_async(video_job_create)(user=user, request=sent, status=status)
                return redirect(f"{reverse('video:index')}#job-{job.pk}")
    else:
        # `?provider=&model=` from the Models page; the form settles an unknown provider.
        initial = {"provider": request.GET.get("provider", "")[:100]}
        form = await _form(user, offers, initial=initial)
        form.model_wanted(request.GET.get("model", ""))
    context = await sync_to_async(_page_context)(user, form, error)
    status_code = 400 if form.errors else 502 if error else 200
    return render(request, "video/index.html", context, status=status_code)


@require_GET
async def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of a job card that changes; it asks to be fetched again until the job ends."""
    user = await request.auser()
    job = await sync_to_async(_own_job)(user, pk)
    job = await video_job_refresh(job=job)
    return render(request, "video/_job_status.html", {"job": job})


@require_GET
def video_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _own_job(request.user, pk)
    if not job.file:
        raise Http404("This video is not ready.")
    name = f"video-{job.pk}.{job.file.name.rpartition('.')[2]}"
    download_name = name if request.GET.get("download") else ""
    return private_file_response(
        request, job.file, content_type=job.mime_type, download_name=download_name
    )


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request.user, pk)
    if request.method == "POST":
        video_job_delete(job=job)
        messages.success(request, "Deleted the video.")
        return redirect("video:index")
    return render(request, "video/delete.html", {"job": job})
