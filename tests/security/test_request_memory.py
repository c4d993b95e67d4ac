"""One signed-in request cannot take gigabytes (issue 18, finding 5): a batch built from a
template is measured against the upload limit before it is built, and uploads decode no more
pictures at once than the process's decode slots."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from playground.batches.jsonl import MAX_BYTES, jsonl_from_template, jsonl_from_template_size
from playground.batches.models import BatchJob
from playground.catalog import selectors
from playground.limits import decoding
from playground.llm.batches import CHAT_ENDPOINT, EMBEDDINGS_ENDPOINT
from playground.media.models import Attachment
from tests.security.objects import png

pytestmark = pytest.mark.django_db

TEMPLATE = "Summarise: {input}. " + "Context. " * 2_200  # ~20 KB, as in the report


@pytest.fixture
def ada(client: Client, django_user_model, settings, tmp_path, monkeypatch) -> Client:
    async def batch_models(**capability: object) -> list[str]:
        return ["gemini-2.5-flash"]

    monkeypatch.setattr(selectors, "model_ids", batch_models)
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(django_user_model.objects.create_user("ada", password=None))
    return client


def build(client: Client, inputs: list[str], template: str = TEMPLATE):
    return client.post(
        "/batches/",
        {"action": "build", "build_endpoint": CHAT_ENDPOINT, "model": "gemini-2.5-flash",
         "system": "", "template": template, "inputs": "\n".join(inputs)},
    )  # fmt: skip


def test_a_build_over_the_upload_limit_is_refused_before_it_is_built(
    ada: Client, monkeypatch
) -> None:
    from playground.batches import views as batch_views

    built: list[int] = []

    def counted(**given: object) -> str:
        built.append(1)
        return jsonl_from_template(**given)

    monkeypatch.setattr(batch_views, "jsonl_from_template", counted)
    inputs = [f"question {number}" for number in range(600)]  # 600 x 20 KB

    response = build(ada, inputs)

    assert response.status_code == 400
    assert "The built file would take 11.4 MB, and a batch file may take at most 10 MB" in (
        response.text
    )
    assert built == [], "nothing was built"
    assert len(response.content) < 2 * 1024 * 1024
    assert BatchJob.objects.count() == 0


def test_a_build_under_the_limit_still_fills_the_box(ada: Client) -> None:
    response = build(ada, ["Why is the sky blue?", "Why is grass green?"], "Answer: {input}")

    assert response.status_code == 200
    assert "request-2" in response.text


@pytest.mark.parametrize("endpoint", [CHAT_ENDPOINT, EMBEDDINGS_ENDPOINT])
@pytest.mark.parametrize("system", ["", 'Be "brief"\n'])
def test_the_counted_size_is_the_built_size(endpoint: str, system: str) -> None:
    inputs = [f'input {n} with "quotes", tabs\t, ünïcödé and 🎉 {"x" * n}' for n in range(1, 120)]
    given = {"endpoint": endpoint, "model": "gemini-2.5-flash", "inputs": inputs,
             "template": "A {input} and again {input}\\n", "system": system}  # fmt: skip

    assert jsonl_from_template_size(**given) == len(jsonl_from_template(**given).encode())
    assert jsonl_from_template_size(**given) < MAX_BYTES


def upload(client: Client):
    return client.post(
        "/media/upload/",
        {"file": SimpleUploadedFile("photo.png", png((300, 200)), "image/png")},
        headers={"Accept": "application/json"},
    )


def test_uploads_decode_no_more_pictures_at_once_than_there_are_slots(
    ada: Client, settings, monkeypatch
) -> None:
    settings.LIMIT_CONCURRENT_IMAGE_DECODES = 1
    monkeypatch.setattr(decoding, "DECODE_WAIT_SECONDS", 0.2)

    with decoding.image_decode_slot():  # another upload is being decoded
        busy = upload(ada)
    assert Attachment.objects.count() == 0
    free = upload(ada)

    assert busy.status_code == 400
    assert "decoding 1 other picture right now. Try again in a moment." in busy.json()["error"]
    assert free.status_code in {200, 201}, free.content
    assert Attachment.objects.count() == 1


def test_a_video_frame_past_pillows_own_limit_is_a_form_error(ada: Client, monkeypatch) -> None:
    from playground.video.models import VideoJob
    from tests.security.test_emulator_image_decoding import png_header_only

    async def video_models(**capability: object) -> list[str]:
        return ["veo-3.1-generate-preview"]

    monkeypatch.setattr(selectors, "model_ids", video_models)
    frame = SimpleUploadedFile("huge.png", png_header_only(20_000, 20_000), "image/png")

    response = ada.post("/video/", {"model": "veo-3.1-generate-preview", "prompt": "A fox",
                                    "image": frame})  # fmt: skip

    assert response.status_code == 400
    assert "The first frame has too many pixels: at most 40 megapixels" in response.text
    assert VideoJob.objects.count() == 0
