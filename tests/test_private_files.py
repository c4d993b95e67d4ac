"""One responder for every private file: attachments, generated images and videos answer byte
ranges (audio and video elements seek with them), refuse ranges past the end, revalidate by
ETag, and stay their owner's."""

from __future__ import annotations

import gzip
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from playground.images.models import GeneratedImage, ImageGeneration
from playground.media.models import Attachment
from playground.private_files import MOST_PER_ANSWER, ByteSpan, RangeNotSatisfiable, requested_span
from playground.video.models import VideoJob, VideoJobStatus
from tests.media import files

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Stored:
    url: str
    data: bytes


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("ada", password=None)


@pytest.fixture
def ada_client(ada) -> Client:
    client = Client()
    client.force_login(ada)
    return client


def _recording(ada, client: Client) -> Stored:
    # A long recording, so a seek lands well inside it.
    upload = ContentFile(files.wav(30, rate=8000), name="lecture.wav")
    assert client.post("/media/upload/", {"file": upload}).status_code in {201, 302}
    attachment = Attachment.objects.get(owner=ada)
    return Stored(f"/media/{attachment.pk}/file/", attachment.file.read())


def _image(ada, client: Client) -> Stored:
    generation = ImageGeneration.objects.create(
        user=ada, provider="emulator", model="gemini-2.5-flash-image", prompt="A cat", request={}
    )
    data = files.noise_png((64, 64))
    image = GeneratedImage(
        generation=generation, position=0, mime_type="image/png", width=64, height=64,
        size_bytes=len(data),
    )  # fmt: skip
    image.file.save("cat.png", ContentFile(data), save=False)
    image.thumbnail.save("cat.webp", ContentFile(b"RIFF....WEBP"), save=False)
    image.save()
    return Stored(f"/images/{image.pk}/file/", data)


def _video(ada, client: Client) -> Stored:
    job = VideoJob.objects.create(
        user=ada, provider="emulator", model="veo-3.1-generate-preview", prompt="A film",
        request={}, upstream_id="videos/1", status=VideoJobStatus.COMPLETED, progress=100,
        mime_type="video/mp4", finished_at=timezone.now(),
    )  # fmt: skip
    data = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
    job.file.save("film.mp4", ContentFile(data))
    return Stored(f"/video/{job.pk}/file/", data)


@pytest.fixture(params=[_recording, _image, _video], ids=["attachment", "image", "video"])
def stored(request, ada, ada_client) -> Stored:
    return request.param(ada, ada_client)


def test_without_a_range_the_whole_file_is_sent_and_ranges_are_offered(ada_client, stored):
    response = ada_client.get(stored.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored.data
    assert response["Content-Length"] == str(len(stored.data))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "private, max-age=86400, immutable"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=100-1099", 100, 1099), ("bytes=3000-", 3000, None), ("bytes=-500", -500, None)],
    ids=["first-last", "from-onwards", "last-n"],
)
def test_a_single_range_is_answered_with_206_and_its_content_range(
    ada_client, stored, header, first, last
):
    size = len(stored.data)
    start = first % size
    end = size - 1 if last is None else last

    response = ada_client.get(stored.url, headers={"Range": header})

    assert response.status_code == 206
    assert response.content == stored.data[start : end + 1]
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"


def test_a_range_that_starts_past_the_end_is_refused_with_416(ada_client, stored):
    size = len(stored.data)

    response = ada_client.get(stored.url, headers={"Range": f"bytes={size}-"})

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_an_unchanged_file_is_answered_with_304(ada_client, stored):
    etag = ada_client.get(stored.url)["ETag"]

    again = ada_client.get(stored.url, headers={"If-None-Match": etag})

    assert etag.startswith('"') and again.status_code == 304
    assert again["ETag"] == etag and again.content == b""


def test_a_range_of_another_version_sends_the_whole_file(ada_client, stored):
    response = ada_client.get(
        stored.url, headers={"Range": "bytes=0-9", "If-Range": '"some-other-file"'}
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored.data


def test_a_range_is_never_gzipped_out_of_step_with_its_content_range(ada_client, stored):
    response = ada_client.get(
        stored.url, headers={"Range": "bytes=0-999", "Accept-Encoding": "gzip"}
    )

    assert response.status_code == 206
    assert response.get("Content-Encoding", "identity") == "identity"
    assert response.content == stored.data[:1000]


def test_a_recording_seeks_to_its_middle(ada_client, ada):
    recording = _recording(ada, ada_client)
    middle = len(recording.data) // 2

    response = ada_client.get(recording.url, headers={"Range": f"bytes={middle}-{middle + 99}"})

    assert response.status_code == 206 and response.content == recording.data[middle:][:100]


def test_someone_else_gets_404_even_for_a_range(stored, django_user_model):
    other = Client()
    other.force_login(django_user_model.objects.create_user("bob", password=None))

    assert other.get(stored.url, headers={"Range": "bytes=0-9"}).status_code == 404


@pytest.mark.parametrize(
    "header",
    ["", "bytes=", "bytes=-", "bytes=0-1,5-9", "items=0-9", "bytes=9-3", f"bytes=1{'0' * 40}-"],
    ids=["none", "empty", "dash", "several", "unit", "backwards", "huge"],
)
def test_a_header_that_is_not_one_range_is_ignored(header: str) -> None:
    assert requested_span(header, 1000) is None


def test_an_empty_file_has_no_suffix_range() -> None:
    with pytest.raises(RangeNotSatisfiable):
        requested_span("bytes=-10", 0)
    with pytest.raises(RangeNotSatisfiable):
        requested_span("bytes=-0", 1000)


def test_one_answer_sends_a_bounded_part_of_a_long_file() -> None:
    size = 10 * MOST_PER_ANSWER

    assert requested_span("bytes=0-", size) == ByteSpan(0, MOST_PER_ANSWER - 1)
    assert requested_span("bytes=-20", size) == ByteSpan(size - 20, size - 1)
    assert requested_span("bytes=5-2000000000", 100) == ByteSpan(5, 99)


def test_gzip_is_kept_for_pages(ada_client) -> None:
    page = ada_client.get("/media/", headers={"Accept-Encoding": "gzip"})

    assert page["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(page.content)
