"""Video generation, a long job: create it (multipart), ask how it goes, fetch the finished bytes.

The seed (page 004) sends `model` and `prompt` at the top level and every Veo option through
`extra_body`; as for chat, that is the literal `extra_body.google` key, which the SDK's multipart
encoder spells `extra_body[google][aspect_ratio]` and so on. The finished video's address is
`url`, a field the SDK's `Video` type lacks (read from the raw JSON); OpenAI-style servers serve
the bytes at `videos/{id}/content` instead, so both are tried.
"""

from __future__ import annotations

import base64
import warnings
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx2
from django.conf import settings
from openai import AsyncOpenAI

from playground.llm.client import client_for
from playground.llm.errors import UpstreamError, error_from_body, upstream_error_from
from playground.llm.providers import Provider, active_provider, provider_named

QUEUED = "queued"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
FAILED = "failed"
# What other servers have called the same states (the seed's comment says "processing").
STATUS_WORDS = {
    "queued": QUEUED,
    "pending": QUEUED,
    "in_progress": IN_PROGRESS,
    "processing": IN_PROGRESS,
    "running": IN_PROGRESS,
    "completed": COMPLETED,
    "succeeded": COMPLETED,
    "done": COMPLETED,
    "failed": FAILED,
    "error": FAILED,
    "cancelled": FAILED,
}
MP4 = "video/mp4"
WEBM = "video/webm"
VIDEO_EXTENSIONS = {MP4: "mp4", WEBM: "webm"}
DOWNLOAD_LIMIT_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class InputImage:
    """An image sent with a video request. Its bytes go out once and are not kept: a stored
    request remembers only the name, type and size (then `data` is empty)."""

    data: bytes
    mime_type: str
    name: str = "image.png"
    size: int = 0

    def __post_init__(self) -> None:
        if self.data and not self.size:
            object.__setattr__(self, "size", len(self.data))

    def as_base64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "mime_type": self.mime_type, "size": self.size}

    @classmethod
    def described(cls, data: Mapping[str, Any]) -> InputImage:
        return cls(
            data=b"",
            mime_type=str(data.get("mime_type") or ""),
            name=str(data.get("name") or "image"),
            size=int(data.get("size") or 0),
        )


@dataclass(frozen=True, slots=True)
class VideoRequest:
    provider: str
    model: str
    prompt: str
    aspect_ratio: str | None = None
    resolution: str | None = None
    duration_seconds: int | None = None
    frame_rate: str | None = None
    negative_prompt: str | None = None
    seed: int | None = None
    style: str | None = None
    person_generation: str | None = None
    image: InputImage | None = None
    last_frame: InputImage | None = None
    reference_images: tuple[InputImage, ...] = ()
    extend_video_id: str | None = None
    # The settings that are plain values (not the model, the prompt or images), in the order
    # they are stored and shown.
    PLAIN_SETTINGS: ClassVar[tuple[str, ...]] = (
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "reference_images", tuple(self.reference_images))

    def google_options(self) -> dict[str, Any]:
        """What goes under `extra_body.google`, in the order of the seed's table."""
        plain = {
            "aspect_ratio": self.aspect_ratio,
            "resolution": self.resolution,
            "duration_seconds": self.duration_seconds,
            "frame_rate": self.frame_rate,
            "extend_video_id": self.extend_video_id,
            "negative_prompt": self.negative_prompt,
            "seed": self.seed,
            "style": self.style,
            "person_generation": self.person_generation,
        }
        google: dict[str, Any] = {k: v for k, v in plain.items() if v is not None and v != ""}
        if self.reference_images:
            google["reference_images"] = [image.as_base64() for image in self.reference_images]
        if self.image is not None:
            google["image"] = self.image.as_base64()
        if self.last_frame is not None:
            google["last_frame"] = {"image": self.last_frame.as_base64()}
        return google

    def request_fields(self) -> dict[str, Any]:
        """The request as one JSON-shaped value (what the multipart form encodes)."""
        body: dict[str, Any] = {"model": self.model, "prompt": self.prompt}
        if google := self.google_options():
            body["extra_body"] = {"google": google}
        return body

    def create_kwargs(self) -> dict[str, Any]:
        """Arguments for `videos.create(**kwargs)`; the SDK sends them as multipart form data."""
        kwargs = self.request_fields()
        if extra := kwargs.pop("extra_body", None):
            kwargs["extra_body"] = {"extra_body": extra}
        return kwargs

    def to_dict(self) -> dict[str, Any]:
        """Everything but the image bytes, to store with the job."""
        data: dict[str, Any] = {
            name: getattr(self, name)
            for name in ("provider", "model", "prompt", *self.PLAIN_SETTINGS)
        }
        data["image"] = self.image.describe() if self.image else None
        data["last_frame"] = self.last_frame.describe() if self.last_frame else None
        data["reference_images"] = [image.describe() for image in self.reference_images]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VideoRequest:
        """What `to_dict` wrote; the images come back as descriptions without bytes."""
        values = dict(data)
        for name in ("image", "last_frame"):
            values[name] = InputImage.described(data[name]) if data.get(name) else None
        values["reference_images"] = tuple(
            InputImage.described(image) for image in data.get("reference_images") or ()
        )
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in values.items() if key in known})


@dataclass(frozen=True, slots=True)
class VideoStatus:
    """One answer of `videos.create` or `videos.retrieve`, read defensively."""

    id: str
    status: str
    progress: int | None = None
    url: str = ""
    error: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_final(self) -> bool:
        return self.status in {COMPLETED, FAILED}


@dataclass(frozen=True, slots=True)
class DownloadedVideo:
    data: bytes
    mime_type: str

    @property
    def extension(self) -> str:
        return VIDEO_EXTENSIONS[self.mime_type]


def _malformed(message: str) -> UpstreamError:
    return UpstreamError(message, kind="malformed")


def _error_text(error: object) -> str:
    if error is None or error == "" or error == {}:
        return ""
    if isinstance(error, Mapping):
        message = error.get("message")
        code = error.get("code") or error.get("status")
        text = str(message) if message else str(dict(error))
        return f"{text} ({code})" if code and message else text
    return str(error)


def _progress(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return max(0, min(100, int(value)))


def video_status_from(raw: object) -> VideoStatus:
    """The status of a video job from the JSON the endpoint sent."""
    if isinstance(raw, list) and raw and isinstance(raw[0], Mapping) and "error" in raw[0]:
        raise error_from_body(None, raw)
    if not isinstance(raw, Mapping):
        raise _malformed("The endpoint's video job is not a JSON object.")
    video_id = raw.get("id")
    if not isinstance(video_id, str) or not video_id:
        raise _malformed("The endpoint's video job has no id.")
    word = str(raw.get("status") or "").strip().lower()
    if word not in STATUS_WORDS:
        raise _malformed(f"The endpoint's video job has an unknown status {raw.get('status')!r}.")
    status = STATUS_WORDS[word]
    error = _error_text(raw.get("error"))
    if status == FAILED and not error:
        error = "The endpoint says the video failed, without saying why."
    url = raw.get("url")
    return VideoStatus(
        id=video_id,
        status=status,
        progress=100 if status == COMPLETED else _progress(raw.get("progress")),
        url=url if isinstance(url, str) else "",
        error=error,
        raw=dict(raw),
    )


def video_format(data: bytes) -> str | None:
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return MP4
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    return None


def _provider(name: str) -> Provider:
    return provider_named(name) or active_provider()


def _fields(parsed: object) -> object:
    to_dict = getattr(parsed, "to_dict", None)
    return to_dict(warnings=False) if callable(to_dict) else parsed


async def _quietly[Result](call: Callable[[], Awaitable[Result]]) -> Result:
    """Runs an SDK `videos.*` call without its DeprecationWarning (the Sora API's shutdown
    notice says nothing about Gemini's endpoint). The warning fires when the call is made,
    before anything is awaited, so the filter never spans an await."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pending = call()
    return await pending


async def create_video(
    request: VideoRequest, *, provider: Provider | None = None, client: AsyncOpenAI | None = None
) -> VideoStatus:
    """Starts the job; returns at once with its id and first status."""
    client = client or client_for(provider or _provider(request.provider))
    try:
        video = await _quietly(lambda: client.videos.create(**request.create_kwargs()))
        return video_status_from(_fields(video))
    except Exception as exc:
        raise upstream_error_from(exc) from exc


async def retrieve_video(
    provider: str, video_id: str, *, client: AsyncOpenAI | None = None
) -> VideoStatus:
    client = client or client_for(_provider(provider))
    try:
        video = await _quietly(lambda: client.videos.retrieve(video_id))
        return video_status_from(_fields(video))
    except Exception as exc:
        raise upstream_error_from(exc) from exc


def _same_origin(url: str, base_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


async def _download_url(
    provider: Provider, url: str, limit: int, http: httpx2.AsyncClient | None
) -> bytes:
    # The key goes only to the provider's own host: a `url` elsewhere gets no credentials.
    headers = {}
    if _same_origin(url, provider.base_url) and provider.api_key:
        headers["Authorization"] = f"Bearer {provider.api_key}"
    timeout = httpx2.Timeout(
        settings.UPSTREAM_TIMEOUT_SECONDS, connect=settings.UPSTREAM_CONNECT_TIMEOUT_SECONDS
    )
    async with AsyncExitStack() as stack:
        if http is None:
            http = await stack.enter_async_context(
                httpx2.AsyncClient(timeout=timeout, follow_redirects=True)
            )
        response = await stack.enter_async_context(http.stream("GET", url, headers=headers))
        if response.status_code >= 400:
            raise error_from_body(response.status_code, await response.aread())
        chunks, total = [], 0
        async for chunk in response.aiter_bytes():
            total += len(chunk)
            if total > limit:
                raise _malformed(f"The video is larger than {limit // (1024 * 1024)} MB.")
            chunks.append(chunk)
    return b"".join(chunks)


async def download_video(
    provider: str,
    video: VideoStatus,
    *,
    client: AsyncOpenAI | None = None,
    http: httpx2.AsyncClient | None = None,
    limit: int = DOWNLOAD_LIMIT_BYTES,
) -> DownloadedVideo:
    """The finished video's bytes, from its `url` when it has one, else `videos/{id}/content`."""
    chosen = _provider(provider)
    try:
        if video.url:
            data = await _download_url(chosen, video.url, limit, http)
        else:
            client = client or client_for(chosen)
            content = await _quietly(lambda: client.videos.download_content(video.id))
            data = content.content
    except UpstreamError:
        raise
    except Exception as exc:
        raise upstream_error_from(exc) from exc
    mime_type = video_format(data)
    if mime_type is None:
        raise _malformed("The finished video is neither MP4 nor WebM.")
    return DownloadedVideo(data, mime_type)
