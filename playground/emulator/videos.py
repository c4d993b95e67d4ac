"""`POST /videos`, `GET /videos/{id}` and `GET /videos/{id}/content`, as Veo behind Gemini's
OpenAI-compatible layer: create returns at once, the status follows the clock, the bytes are a
real MP4."""

from __future__ import annotations

import asyncio

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from playground.emulator.access import emulator_endpoint, key_owner
from playground.emulator.errors import GeminiError, invalid_argument, json_response
from playground.emulator.models import EmulatedVideo
from playground.emulator.video_jobs import video_as_openai, video_create, video_mp4, video_state
from playground.emulator.video_request import video_order_parse
from playground.emulator.views import request_bytes


def _described(
    request: HttpRequest, video: EmulatedVideo, *, just_created: bool = False
) -> HttpResponse:
    url = request.build_absolute_uri(reverse("emulator:video_file", args=[video.id]))
    return json_response(video_as_openai(video, content_url=url, just_created=just_created))


async def _video(request: HttpRequest, video_id: str) -> EmulatedVideo:
    """The key's own video; another key's is missing."""
    video = await EmulatedVideo.objects.filter(pk=video_id, owner=key_owner(request)).afirst()
    if video is None:
        raise GeminiError(404, f"Video {video_id} was not found.")
    return video


@emulator_endpoint(methods=("POST",))
async def video_create_view(request: HttpRequest) -> HttpResponse:
    content_type = request.headers.get("Content-Type", "")
    # Off the event loop: the first, last and reference frames are decoded while it is read.
    order = await asyncio.to_thread(video_order_parse, request_bytes(request), content_type)
    video = await video_create(order, owner=key_owner(request))
    return _described(request, video, just_created=True)


@emulator_endpoint(methods=("GET",))
async def video_detail(request: HttpRequest, video_id: str) -> HttpResponse:
    return _described(request, await _video(request, video_id))


@emulator_endpoint(methods=("GET",))
async def video_content(request: HttpRequest, video_id: str) -> HttpResponse:
    video = await _video(request, video_id)
    variant = request.GET.get("variant", "video")
    if variant != "video":
        raise invalid_argument(f"Invalid variant: {variant!r}. Only the video itself is served.")
    state = video_state(video)
    if state.status != "completed":
        detail = video.failure if state.status == "failed" else f"{state.progress}% done"
        raise invalid_argument(f"Video {video_id} is not ready: it is {state.status} ({detail}).")
    response = HttpResponse(await video_mp4(video), content_type="video/mp4")
    response["Content-Disposition"] = f'attachment; filename="{video.id}.mp4"'
    return response
