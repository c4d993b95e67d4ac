"""The Video page against the served emulator: a job created at once, its status refreshed from
the job row (and the endpoint at most every few seconds), the finished video stored and served to
its owner only, and bad input refused with nothing stored."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from playground.video import services
from playground.video.models import VideoJob
from tests.media.files import picture_bytes
from tests.servers import free_port

pytestmark = pytest.mark.django_db

WATERFALL = "A cinematic drone shot of a waterfall"


def create(client: Client, **fields: object) -> object:
    data = {"model": "veo-3.1-generate-preview", "prompt": WATERFALL, **fields}
    return client.post("/video/", data)


def poll_until_final(client: Client, job: VideoJob, seconds: float = 15) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fragment = client.get(f"/video/{job.pk}/status/").text
        job.refresh_from_db()
        if job.is_final:
            return fragment
        time.sleep(0.3)
    raise AssertionError(f"job {job.pk} stayed {job.status}")


@pytest.fixture
def quick_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "REFRESH_SECONDS", 0.0)


def test_the_page_offers_veo_and_the_seeds_options(ada: Client, video_emulator_url: str) -> None:
    page = ada.get("/video/")

    assert page.status_code == 200
    assert '<option value="veo-3.1-generate-preview" selected>' in page.text
    for name in (
        "aspect_ratio",
        "resolution",
        "duration_seconds",
        "frame_rate",
        "negative_prompt",
        "seed",
        "style",
        "person_generation",
        "image",
        "last_frame",
        "reference_images",
        "extend_video",
    ):
        assert f'name="{name}"' in page.text, name


def test_creating_returns_at_once_with_a_job_card_that_polls(
    ada: Client, video_emulator_url: str
) -> None:
    response = create(ada, aspect_ratio="9:16", duration_seconds="4", seed="7")
    page = ada.get("/video/")

    job = VideoJob.objects.get()
    assert response.status_code == 302 and response.url == f"/video/#job-{job.pk}"
    assert job.status == "queued" and job.upstream_id.startswith("video_")
    assert job.request["aspect_ratio"] == "9:16" and job.request["seed"] == 7
    assert f'hx-get="/video/{job.pk}/status/" hx-trigger="every 2s"' in page.text
    assert '<progress class="job-progress" max="100" value="0"' in page.text
    assert "aspect_ratio: 9:16" in page.text and "client.videos.create(" in page.text


def test_the_endpoint_is_asked_at_most_once_per_refresh_interval(
    ada: Client, video_emulator_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real = services.retrieve_video

    async def counting(provider: str, video_id: str, **kwargs: object) -> object:
        asked.append(video_id)
        return await real(provider, video_id, **kwargs)

    monkeypatch.setattr(services, "retrieve_video", counting)
    create(ada)
    job = VideoJob.objects.get()
    VideoJob.objects.filter(pk=job.pk).update(last_checked_at=None)

    for _ in range(4):
        ada.get(f"/video/{job.pk}/status/")

    assert asked == [job.upstream_id]


def test_a_finished_video_is_stored_once_and_served_with_ranges(
    ada: Client, video_emulator_url: str, quick_refresh: None, media_root: Path
) -> None:
    create(ada, duration_seconds="4")
    job = VideoJob.objects.get()

    fragment = poll_until_final(ada, job)
    stored = media_root / job.file.name
    again = ada.get(f"/video/{job.pk}/status/")
    whole = ada.get(f"/video/{job.pk}/file/")
    part = ada.get(f"/video/{job.pk}/file/", headers={"Range": "bytes=0-99"})
    download = ada.get(f"/video/{job.pk}/file/?download=1")

    assert job.status == "completed" and job.mime_type == "video/mp4"
    assert stored.is_file() and stored.read_bytes()[4:8] == b"ftyp"
    assert "<video" in fragment and "hx-trigger" not in fragment
    assert "hx-trigger" not in again.text
    assert b"".join(whole.streaming_content) == stored.read_bytes()
    assert part.status_code == 206 and len(part.content) == 100
    assert part["Content-Range"] == f"bytes 0-99/{stored.stat().st_size}"
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_failed_job_shows_the_endpoints_reason(
    ada: Client, video_emulator_url: str, quick_refresh: None
) -> None:
    create(ada, prompt="Two people dancing in the rain", person_generation="dont_allow")
    job = VideoJob.objects.get()

    fragment = poll_until_final(ada, job)

    assert job.status == "failed" and not job.file
    assert "person_generation is dont_allow" in job.error
    assert "person_generation is dont_allow" in fragment and 'role="alert"' in fragment


def test_an_endpoint_that_forgot_the_job_fails_it_with_its_words(
    ada: Client, video_emulator_url: str, quick_refresh: None
) -> None:
    create(ada)
    job = VideoJob.objects.get()
    VideoJob.objects.filter(pk=job.pk).update(upstream_id="video_gone")

    ada.get(f"/video/{job.pk}/status/")

    job.refresh_from_db()
    assert job.status == "failed"
    assert "Video video_gone was not found." in job.error


def test_an_unreachable_endpoint_keeps_the_job_pending_and_says_so(
    ada: Client, video_emulator_url: str, quick_refresh: None, settings
) -> None:
    create(ada)
    job = VideoJob.objects.get()
    settings.EMULATOR_BASE_URL = f"http://127.0.0.1:{free_port()}/v1beta/openai/"
    settings.UPSTREAM_MAX_RETRIES = 0

    fragment = ada.get(f"/video/{job.pk}/status/").text

    job.refresh_from_db()
    assert job.status == "queued"
    assert "Could not reach the model endpoint" in fragment and "Trying again." in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_other_people_get_404_for_someone_elses_video(
    ada: Client, bob: Client, video_emulator_url: str
) -> None:
    create(ada)
    job = VideoJob.objects.get()

    for path in (f"/video/{job.pk}/status/", f"/video/{job.pk}/file/", f"/video/{job.pk}/delete/"):
        assert bob.get(path).status_code == 404, path
    assert bob.post(f"/video/{job.pk}/delete/").status_code == 404
    assert WATERFALL not in bob.get("/video/").text
    assert VideoJob.objects.count() == 1


def test_deleting_a_job_removes_its_file(
    ada: Client, video_emulator_url: str, quick_refresh: None, media_root: Path
) -> None:
    create(ada, duration_seconds="4")
    job = VideoJob.objects.get()
    poll_until_final(ada, job)
    stored = media_root / job.file.name

    response = ada.post(f"/video/{job.pk}/delete/")

    assert response.status_code == 302
    assert not VideoJob.objects.exists() and not stored.exists()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_a_first_and_last_frame_and_references_go_out_as_base64(
    ada: Client, video_emulator_url: str
) -> None:
    png = picture_bytes()
    response = create(
        ada,
        image=upload("first.png", png),
        last_frame=upload("last.png", picture_bytes("WEBP")),
        reference_images=[upload("a.png", png), upload("b.png", png)],
        duration_seconds="8",
    )

    job = VideoJob.objects.get()
    assert response.status_code == 302
    assert job.request["image"] == {"name": "first.png", "mime_type": "image/png", "size": len(png)}
    assert job.request["last_frame"]["mime_type"] == "image/webp"
    assert [image["name"] for image in job.request["reference_images"]] == ["a.png", "b.png"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"prompt": "  "}, "Describe the video to generate."),
        ({"duration_seconds": "5"}, "Veo makes videos of 4, 6 or 8 seconds, not 5."),
        ({"frame_rate": "ab"}, "Give frames per second as a whole number"),
        ({"seed": "-3"}, "A seed is a whole number from 0 to 4294967295."),
        ({"aspect_ratio": "4:3"}, "Select a valid choice."),
        (
            {"image": upload("x.png", b"not an image")},
            "The first frame must be a PNG, JPEG or WEBP image.",
        ),
        ({"last_frame": upload("last.png", picture_bytes())}, "A last frame needs a first frame"),
        (
            {"reference_images": [upload(f"{n}.png", picture_bytes()) for n in range(4)]},
            "Up to 3 reference images; you chose 4.",
        ),
        (
            {"reference_images": [upload("a.png", picture_bytes())], "duration_seconds": "4"},
            "With reference images the video must be 8 seconds long.",
        ),
        ({"extend_video": "video_someone_elses"}, "Select a valid choice."),
        ({"model": "gemini-2.5-flash"}, "gemini-2.5-flash is not a video model of this provider."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(
    ada: Client, video_emulator_url: str, fields: dict, message: str
) -> None:
    response = create(ada, **fields)

    assert response.status_code == 400
    assert message in response.text
    assert not VideoJob.objects.exists()


def test_a_refusal_at_creation_is_shown_with_the_form_kept(ada: Client, settings) -> None:
    settings.EMULATOR_BASE_URL = f"http://127.0.0.1:{free_port()}/v1beta/openai/"
    settings.UPSTREAM_MAX_RETRIES = 0

    response = create(ada, model="my-veo")

    assert response.status_code == 502
    assert "Could not reach the model endpoint" in response.text
    assert WATERFALL in response.text
    assert not VideoJob.objects.exists()
