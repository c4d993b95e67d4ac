"""`playground.llm.videos`: the multipart request as the SDK sends it, statuses read
defensively, the finished bytes fetched without leaking the key."""

from __future__ import annotations

import warnings

import httpx2
import pytest

from playground.llm.errors import UpstreamError
from playground.llm.videos import (
    InputImage,
    VideoRequest,
    VideoStatus,
    create_video,
    download_video,
    retrieve_video,
    video_status_from,
)
from tests.llm.fakes import BASE_URL, fake_client
from tests.media.files import picture_bytes

WATERFALL = "A cinematic drone shot of a waterfall"
MP4_BYTES = b"\x00\x00\x00\x18ftypisom" + bytes(64)


def job(status: str = "queued", **extra: object) -> dict[str, object]:
    return {
        "id": "video_1",
        "object": "video",
        "model": "veo",
        "status": status,
        "progress": 0,
        "created_at": 1,
        "seconds": "8",
        "size": "1280x720",
        **extra,
    }


def form_fields(request: httpx2.Request) -> dict[str, list[str]]:
    """The text parts of a multipart body, by name."""
    boundary = request.headers["content-type"].split("boundary=")[1]
    fields: dict[str, list[str]] = {}
    for part in request.content.split(f"--{boundary}".encode())[1:-1]:
        head, _, body = part.strip(b"\r\n").partition(b"\r\n\r\n")
        name = head.decode().split('name="')[1].split('"')[0]
        fields.setdefault(name, []).append(body.decode())
    return fields


async def test_it_creates_the_job_with_multipart_fields_as_the_sdk_encodes_extra_body() -> None:
    sent: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        return httpx2.Response(200, json=job("processing"))

    png = picture_bytes()
    request = VideoRequest(
        provider="gemini",
        model="veo-3.1-generate-preview",
        prompt=WATERFALL,
        aspect_ratio="9:16",
        duration_seconds=8,
        seed=7,
        image=InputImage(png, "image/png", "first.png"),
        last_frame=InputImage(png, "image/png", "last.png"),
        reference_images=(InputImage(png, "image/png", "ref.png"),) * 2,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the SDK's DeprecationWarning must not escape
        status = await create_video(request, client=fake_client(handler))

    fields = form_fields(sent[0])
    assert sent[0].url.path.endswith("/videos")
    assert sent[0].headers["content-type"].startswith("multipart/form-data")
    assert fields["model"] == ["veo-3.1-generate-preview"] and fields["prompt"] == [WATERFALL]
    assert fields["extra_body[google][aspect_ratio]"] == ["9:16"]
    assert fields["extra_body[google][duration_seconds]"] == ["8"]
    assert fields["extra_body[google][seed]"] == ["7"]
    assert fields["extra_body[google][image]"] == [InputImage(png, "image/png").as_base64()]
    assert fields["extra_body[google][last_frame][image]"] == fields["extra_body[google][image]"]
    assert len(fields["extra_body[google][reference_images][]"]) == 2
    assert status == VideoStatus(id="video_1", status="in_progress", progress=0)


def test_the_stored_request_keeps_names_and_sizes_of_images_not_their_bytes() -> None:
    request = VideoRequest(
        provider="gemini", model="veo", prompt="x", image=InputImage(b"12345", "image/png", "a.png")
    )

    stored = request.to_dict()
    again = VideoRequest.from_dict(stored)

    assert stored["image"] == {"name": "a.png", "mime_type": "image/png", "size": 5}
    assert again.image == InputImage(b"", "image/png", "a.png", 5)
    assert again.prompt == "x" and again.reference_images == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (job("queued"), ("queued", 0, "", "")),
        (job("processing", progress=40), ("in_progress", 40, "", "")),
        (job("completed", url="https://x/v.mp4"), ("completed", 100, "https://x/v.mp4", "")),
        (
            job("failed", error={"code": "RAI", "message": "Blocked."}),
            ("failed", 0, "", "Blocked. (RAI)"),
        ),
        (job("failed", error="Plain words."), ("failed", 0, "", "Plain words.")),
        (
            job("failed"),
            ("failed", 0, "", "The endpoint says the video failed, without saying why."),
        ),
    ],
)
def test_it_reads_every_status_the_endpoints_send(raw: dict, expected: tuple) -> None:
    status = video_status_from(raw)

    assert (status.status, status.progress, status.url, status.error) == expected


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (job("dreaming"), "unknown status 'dreaming'"),
        ({"status": "queued"}, "has no id"),
        (
            [{"error": {"code": 404, "message": "Video x was not found.", "status": "NOT_FOUND"}}],
            "Video x was not found.",
        ),
        ("text", "not a JSON object"),
    ],
)
def test_a_status_that_makes_no_sense_is_an_upstream_error(raw: object, says: str) -> None:
    with pytest.raises(UpstreamError) as raised:
        video_status_from(raw)

    assert says in str(raised.value)


async def test_retrieve_maps_geminis_list_wrapped_404() -> None:
    body = [
        {"error": {"code": 404, "message": "Video video_9 was not found.", "status": "NOT_FOUND"}}
    ]
    client = fake_client(lambda request: httpx2.Response(404, json=body))

    with pytest.raises(UpstreamError) as raised:
        await retrieve_video("gemini", "video_9", client=client)

    assert (raised.value.status_code, raised.value.message) == (404, "Video video_9 was not found.")


def recording_http(seen: list[httpx2.Request], content: bytes = MP4_BYTES) -> httpx2.AsyncClient:
    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, content=content)

    return httpx2.AsyncClient(transport=httpx2.MockTransport(handler))


@pytest.fixture
def gemini_key(settings) -> None:
    settings.GEMINI_API_KEY = "secret-key"
    settings.GEMINI_BASE_URL = BASE_URL


async def test_the_key_goes_to_the_providers_own_host_and_nowhere_else(gemini_key: None) -> None:
    seen: list[httpx2.Request] = []
    own = VideoStatus(id="v", status="completed", url=f"{BASE_URL}files/v:download")
    foreign = VideoStatus(id="v", status="completed", url="https://storage.example/v.mp4")

    mine = await download_video("gemini", own, http=recording_http(seen))
    await download_video("gemini", foreign, http=recording_http(seen))

    assert mine.mime_type == "video/mp4" and mine.extension == "mp4"
    assert seen[0].headers["authorization"] == "Bearer secret-key"
    assert "authorization" not in seen[1].headers


async def test_without_a_url_it_downloads_videos_id_content(gemini_key: None) -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, content=MP4_BYTES)

    video = await download_video(
        "gemini", VideoStatus(id="video_1", status="completed"), client=fake_client(handler)
    )

    assert seen[0].url.path.endswith("/videos/video_1/content")
    assert video.data == MP4_BYTES


async def test_bytes_that_are_not_a_video_are_refused(gemini_key: None) -> None:
    status = VideoStatus(id="v", status="completed", url=f"{BASE_URL}v.mp4")

    with pytest.raises(UpstreamError, match="neither MP4 nor WebM"):
        await download_video("gemini", status, http=recording_http([], b"<html>nope</html>"))
