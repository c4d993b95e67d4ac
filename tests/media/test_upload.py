"""Uploading through HTTP POST: stored for its owner, or refused with nothing left behind."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadhandler import SkipFile
from django.test import Client
from PIL import Image

from playground.media.limits import UploadLimits
from playground.media.models import Attachment
from playground.media.receiving import SizeLimitedUpload
from tests.media import files
from tests.media.conftest import upload


def test_it_stores_an_image_for_its_owner_and_answers_json(post_file, alice, media_root):
    response = post_file("holiday.png", files.picture((64, 48)), "image/png")

    assert response.status_code == 201
    body = response.json()
    attachment = Attachment.objects.get()
    assert body["id"] == str(attachment.pk) and attachment.owner == alice
    assert (body["kind"], body["mime_type"], body["width"], body["height"]) == (
        "image", "image/png", 64, 48,
    )  # fmt: skip
    assert body["original_name"] == "holiday.png"
    assert body["url"] == f"/media/{attachment.pk}/file/"
    stored = media_root / attachment.file.name
    assert stored.parent == media_root / "attachments" / str(alice.pk)
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == body["sha256"]
    assert stored.stat().st_size == body["byte_size"]


def test_it_stores_a_wav_with_its_duration(post_file):
    response = post_file("voice.wav", files.wav(2.5, rate=16000), "audio/wav")

    body = response.json()
    assert response.status_code == 201
    assert (body["kind"], body["mime_type"], body["duration_seconds"]) == (
        "audio", "audio/wav", 2.5,
    )  # fmt: skip
    assert body["thumbnail_url"] is None
    assert Attachment.objects.get().notes == "16,000 Hz, mono"


def test_it_stores_an_mp3_byte_for_byte(post_file, media_root):
    sound = files.mp3(1.0)

    post_file("song.mp3", sound, "audio/mpeg")

    attachment = Attachment.objects.get()
    assert attachment.mime_type == "audio/mpeg"
    assert (media_root / attachment.file.name).read_bytes() == sound


def test_it_answers_htmx_with_a_card_that_has_a_remove_button(alice_client):
    response = alice_client.post(
        "/media/upload/",
        {"file": upload("cat.jpg", files.picture(image_format="JPEG"), "image/jpeg")},
        headers={"HX-Request": "true"},
    )

    attachment = Attachment.objects.get()
    html = response.content.decode()
    assert response.status_code == 201
    assert f'<img src="/media/{attachment.pk}/thumbnail/"' in html
    assert f'name="attachments" value="{attachment.pk}"' in html
    assert f'hx-post="/media/{attachment.pk}/delete/"' in html and ">Remove</a>" in html
    assert "<html" not in html


def test_a_plain_form_post_goes_back_to_the_list(alice_client):
    response = alice_client.post(
        "/media/upload/", {"file": upload("a.png", files.picture(), "image/png")}, follow=True
    )

    assert response.redirect_chain == [("/media/", 302)]
    assert "Uploaded “a.png”." in response.content.decode()


def test_it_checks_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    token = client.get("/media/").context["csrf_token"]

    refused = client.post("/media/upload/", {"file": upload("a.png", files.picture())})
    accepted = client.post(
        "/media/upload/",
        {"file": upload("a.png", files.picture())},
        headers={"X-CSRFToken": str(token), "Accept": "application/json"},
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201 and Attachment.objects.count() == 1


BAD_FILES = {
    "text named .png": ("notes.png", b"not a picture at all\n" * 20, "image/png", "not an image"),
    "truncated PNG": ("cut.png", files.noise_png((120, 120))[:9000], "image/png", "cut short"),
    "decompression bomb": ("bomb.png", files.png_claiming(40_000, 40_000), "image/png", "pixels"),
    "animated GIF": ("dance.gif", files.animated_gif(), "image/gif", "animated"),
    "multi-page TIFF": ("scan.tiff", files.multipage_tiff(), "image/tiff", "multi-page"),
    "float WAV": ("f.wav", files.float_wav(), "audio/wav", "not PCM"),
    "truncated WAV": ("cut.wav", files.wav(1.0, rate=8000)[:5000], "audio/wav", "cut short"),
    "FLAC": ("a.flac", files.encoded_audio("flac", "flac"), "audio/flac", "FLAC audio"),
    "Ogg Opus": ("a.ogg", files.encoded_audio("ogg", "libopus"), "audio/ogg", "Ogg audio"),
    "AAC": ("a.aac", files.encoded_audio("adts", "aac"), "audio/aac", "AAC audio"),
    "M4A": ("a.m4a", files.encoded_audio("ipod", "aac"), "audio/mp4", "MP4/M4A audio"),
    "HEIC photo": ("p.heic", b"\0\0\0\x18ftypheic" + b"\0" * 64, "image/heic", "HEIC/AVIF"),
    "empty file": ("empty.png", b"", "image/png", "empty"),
}


@pytest.mark.parametrize("case", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_it_refuses_a_bad_file_plainly_and_keeps_nothing(post_file, nothing_stored, case):
    name, data, content_type, words = case

    response = post_file(name, data, content_type)

    assert response.status_code == 400
    assert words in response.json()["error"]
    assert nothing_stored()


def test_it_keeps_earlier_uploads_when_a_later_one_is_refused(post_file, stored_files):
    post_file("good.png", files.picture(), "image/png")

    post_file("bad.png", b"garbage" * 50, "image/png")

    assert Attachment.objects.count() == 1 and len(stored_files()) == 2  # file and thumbnail


def test_it_asks_for_a_file_when_none_is_sent(alice_client):
    response = alice_client.post("/media/upload/", {}, headers={"Accept": "application/json"})

    assert response.status_code == 400
    assert response.json()["error"] == "Choose an image or audio file."


def test_it_refuses_audio_longer_than_the_setting(post_file, settings, nothing_stored):
    settings.UPLOAD_MAX_AUDIO_SECONDS = 2

    response = post_file("long.wav", files.wav(3.0, rate=8000), "audio/wav")

    assert response.status_code == 400
    assert "at most 2 seconds" in response.json()["error"]
    assert nothing_stored()


def test_it_drops_an_image_over_the_limit_while_it_arrives(post_file, settings, nothing_stored):
    settings.UPLOAD_MAX_IMAGE_BYTES = 64 * 1024
    big = files.noise_png((200, 200))  # about 120 KB

    response = post_file("big.png", big, "image/png")

    assert response.status_code == 413
    assert response.json()["error"] == "This file is larger than 64 KB, the limit for images."
    assert nothing_stored()


def test_it_applies_the_image_limit_to_an_image_sent_under_another_label(
    post_file, settings, nothing_stored
):
    settings.UPLOAD_MAX_IMAGE_BYTES = 64 * 1024
    big = files.noise_png((200, 200))

    response = post_file("big.bin", big, "application/octet-stream")

    assert response.status_code == 400
    assert response.json()["error"].endswith("images may be at most 64 KB.")
    assert nothing_stored()


def test_it_refuses_a_body_larger_than_any_upload_without_reading_it(
    post_file, settings, nothing_stored
):
    settings.UPLOAD_MAX_IMAGE_BYTES = settings.UPLOAD_MAX_AUDIO_BYTES = 64 * 1024

    response = post_file("a.png", files.picture(), "image/png", CONTENT_LENGTH="50000000")

    assert response.status_code == 413
    assert "larger than 64 KB" in response.json()["error"]
    assert nothing_stored()


def test_the_counter_drops_a_file_at_the_chunk_that_passes_the_limit():
    limits = UploadLimits(image_bytes=100_000, audio_bytes=500_000, audio_seconds=60)
    counter = SizeLimitedUpload(limits=limits)
    counter.new_file("file", "a.png", "image/png", None)
    chunks = [b"x" * 40_000] * 5
    passed = []

    with pytest.raises(SkipFile):
        for start, chunk in enumerate(chunks):
            passed.append(counter.receive_data_chunk(chunk, start * 40_000))

    assert len(passed) == 2  # the third chunk crossed 100,000 bytes and was not passed on
    assert str(counter.refusal) == "This file is larger than 97.7 KB, the limit for images."


def test_the_counter_trusts_no_label_more_than_the_largest_limit():
    limits = UploadLimits(image_bytes=1000, audio_bytes=5000, audio_seconds=60)
    counter = SizeLimitedUpload(limits=limits)

    counter.new_file("file", "x", "application/octet-stream", None)

    assert counter.receive_data_chunk(b"x" * 4000, 0) == b"x" * 4000
    with pytest.raises(SkipFile):
        counter.receive_data_chunk(b"x" * 1001, 4000)


def test_it_leaves_no_file_behind_when_the_row_cannot_be_saved(
    post_file, monkeypatch, nothing_stored
):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment, "save", fail)

    with pytest.raises(RuntimeError):
        post_file("a.png", files.picture(), "image/png")

    assert nothing_stored()


def test_it_stores_what_the_image_check_made_of_the_upload(post_file, media_root):
    post_file("turned.jpg", files.jpeg_with_exif(orientation=6), "image/jpeg")

    attachment = Attachment.objects.get()
    stored = Image.open(io.BytesIO((media_root / attachment.file.name).read_bytes()))
    assert stored.size == (30, 60) and (attachment.width, attachment.height) == (30, 60)
    assert "turned upright" in attachment.notes


def test_it_checks_uploads_too_big_to_keep_in_memory_from_disk(post_file, settings, media_root):
    photo, talk = files.noise_png((1000, 1000)), files.wav(100, rate=16000)
    assert min(len(photo), len(talk)) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    answers = [post_file("photo.png", photo, "image/png"), post_file("talk.wav", talk, "audio/wav")]

    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].json()["width"] == 1000
    assert answers[1].json()["duration_seconds"] == 100
    stored = Attachment.objects.get(kind="audio")
    assert (media_root / stored.file.name).read_bytes() == talk
