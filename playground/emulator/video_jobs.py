"""The emulator's video jobs: stored once, their status read off the clock.

A job is queued for its first tenth of `EMULATOR_VIDEO_SECONDS`, then in progress with the
share of the time gone as its progress, then completed (or failed, when the request asked for
something Veo refuses at the end, such as people with `person_generation=dont_allow`). Nothing
moves a job along, so nothing is lost when the server restarts.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from playground.emulator.errors import invalid_argument
from playground.emulator.models import EmulatedVideo
from playground.emulator.video_request import VideoOrder

QUEUED_SHARE = 0.1
PEOPLE = re.compile(
    r"\b(person|people|man|men|woman|women|child|children|kid|kids|boy|girl|crowd|"
    r"dancer|dancers|face|faces|human|humans)\b",
    re.IGNORECASE,
)
PEOPLE_REFUSED = (
    "The video was blocked: the prompt asks for people, and person_generation is dont_allow. "
    "Change the prompt or allow adults (allow_adult)."
)


@dataclass(frozen=True, slots=True)
class VideoState:
    status: str
    progress: int


def video_state(video: EmulatedVideo, *, now: datetime | None = None) -> VideoState:
    total = float(settings.EMULATOR_VIDEO_SECONDS)
    elapsed = ((now or timezone.now()) - video.created_at).total_seconds()
    if elapsed >= total:
        return VideoState("failed" if video.failure else "completed", 100)
    if elapsed < total * QUEUED_SHARE:
        return VideoState("queued", 0)
    return VideoState("in_progress", max(1, min(99, int(100 * elapsed / total))))


def failure_for(order: VideoOrder) -> str:
    if order.person_generation == "dont_allow" and PEOPLE.search(order.prompt):
        return PEOPLE_REFUSED
    return ""


async def video_mp4(video: EmulatedVideo) -> bytes:
    """The bytes of a completed video, drawn on the first download and then kept."""
    if video.mp4:
        return bytes(video.mp4)
    data = await asyncio.to_thread(video_render, video)
    await EmulatedVideo.objects.filter(pk=video.pk).aupdate(mp4=data)
    return data


async def video_create(order: VideoOrder, *, owner: str) -> EmulatedVideo:
    if order.extend_video_id:
        # Only the owner's own videos can be extended; another's is no video at all.
        source = await EmulatedVideo.objects.filter(pk=order.extend_video_id, owner=owner).afirst()
        if source is None:
            raise invalid_argument(f"extend_video_id {order.extend_video_id!r} names no video.")
        if video_state(source).status != "completed":
            raise invalid_argument(
                f"extend_video_id {order.extend_video_id!r} is not a completed video: only a "
                "finished video can be extended."
            )
    width, height = order.size
    return await EmulatedVideo.objects.acreate(
        id=f"video_{secrets.token_hex(12)}",
        owner=owner,
        model=order.model.id,
        prompt=order.prompt,
        options=order.options,
        width=width,
        height=height,
        seconds=order.seconds,
        frame_rate=order.frame_rate,
        failure=failure_for(order),
        first_frame=order.first_frame,
        last_frame=order.last_frame,
    )


def video_as_openai(
    video: EmulatedVideo, *, content_url: str, just_created: bool = False
) -> dict[str, object]:
    """The job as the SDK's `Video` type has it, plus Gemini's `url` once it is done.
    A job is always queued in the answer that creates it, however fast the emulator is."""
    state = VideoState("queued", 0) if just_created else video_state(video)
    created = int(video.created_at.timestamp())
    finished = state.status in {"completed", "failed"}
    return {
        "completed_at": created + int(settings.EMULATOR_VIDEO_SECONDS) if finished else None,
        "created_at": created,
        "error": {"code": "RAI_MEDIA_FILTERED", "message": video.failure}
        if state.status == "failed"
        else None,
        "expires_at": None,
        "id": video.id,
        "model": video.model,
        "object": "video",
        "progress": state.progress,
        "prompt": video.prompt,
        "remixed_from_video_id": video.options.get("extend_video_id") or None,
        "seconds": str(video.seconds),
        "size": f"{video.width}x{video.height}",
        "status": state.status,
        "url": content_url if state.status == "completed" else None,
    }


def video_render(video: EmulatedVideo) -> bytes:
    """The video's bytes, drawn from what the job stored (no database access: run it in a
    thread, it takes a moment of CPU)."""
    # Imported here: PyAV (FFmpeg) takes a second or two to load, and most processes never
    # draw a video (each `manage.py` command would pay for it).
    from playground.emulator.video_render import render_mp4

    options = video.options
    seed = options.get("seed")
    note = " · ".join(
        part
        for part in (
            f"Emulator · {video.model}",
            options.get("aspect_ratio"),
            options.get("resolution"),
            f"{video.seconds} s",
            options.get("style"),
            f"seed {seed}" if seed is not None else "",
        )
        if part
    )
    return render_mp4(
        prompt=video.prompt,
        note=note,
        width=video.width,
        height=video.height,
        seconds=video.seconds,
        frame_rate=video.frame_rate,
        variant=str(seed) if seed is not None else "",
        first_frame=bytes(video.first_frame) if video.first_frame else None,
        last_frame=bytes(video.last_frame) if video.last_frame else None,
    )
