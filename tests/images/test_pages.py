"""The Images page against the served emulator: generate, gallery, full view, download, delete,
"again", owners only, and bad input refused with nothing stored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from playground.images.models import GeneratedImage, ImageGeneration
from tests.servers import free_port

pytestmark = pytest.mark.django_db

SHEEP = "a portrait of a sheepadoodle wearing a cape"


def generate(client: Client, headers: dict[str, str] | None = None, **fields: object) -> object:
    data = {
        "model": "gemini-2.5-flash-image",
        "prompt": SHEEP,
        "n": 2,
        "response_format": "b64_json",
    }
    return client.post("/images/", {**data, **fields}, headers=headers or {})


def test_the_page_offers_the_providers_image_models(ada: Client, emulator_url: str) -> None:
    page = ada.get("/images/")

    options = re.findall(
        r'<option value="([^"]+)"', page.text.split('name="model"')[1].split("</select>")[0]
    )
    assert page.status_code == 200
    assert options == [
        "gemini-2.5-flash-image",
        "gemini-3-pro-image-preview",
        "imagen-4.0-generate-001",
    ]
    assert "No images yet" in page.text


def test_generating_two_images_stores_them_and_shows_them_in_the_gallery(
    ada: Client, emulator_url: str, media_root: Path
) -> None:
    response = generate(
        ada,
        aspect_ratio="16:9",
        safety_settings='[{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_NONE"}]',
    )
    gallery = ada.get("/images/")

    generation = ImageGeneration.objects.get()
    images = list(generation.images.all())
    assert response.status_code == 302
    assert [(i.mime_type, i.width, i.height) for i in images] == [("image/png", 1024, 576)] * 2
    assert all(
        (media_root / i.file.name).is_file() and (media_root / i.thumbnail.name).is_file()
        for i in images
    )
    assert generation.request["aspect_ratio"] == "16:9"
    assert gallery.text.count('class="gallery-image"') == 2
    assert SHEEP in gallery.text and "aspect_ratio: 16:9" in gallery.text


def test_an_htmx_post_answers_with_the_refreshed_workspace(ada: Client, emulator_url: str) -> None:
    response = generate(ada, n=1, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="image-workspace"')
    assert "<html" not in response.text
    assert response.text.count('class="gallery-image"') == 1


def test_the_full_view_thumbnail_and_download_serve_the_owner(
    ada: Client, emulator_url: str
) -> None:
    generate(ada, model="imagen-4.0-generate-001", n=1)
    image = GeneratedImage.objects.get()

    detail = ada.get(f"/images/{image.pk}/")
    full = ada.get(f"/images/{image.pk}/file/")
    thumbnail = ada.get(f"/images/{image.pk}/thumbnail/")
    download = ada.get(f"/images/{image.pk}/file/?download=1")

    assert detail.status_code == 200 and "image/webp, 1024 \u00d7 1024" in detail.text
    assert (
        full["Content-Type"] == "image/webp" and b"".join(full.streaming_content)[8:12] == b"WEBP"
    )
    assert thumbnail["Content-Type"] == "image/webp"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Get code" in detail.text and "client.images.generate(" in detail.text
    assert "GEMINI_API_KEY" in detail.text


def test_other_people_get_404_for_someone_elses_images(
    ada: Client, bob: Client, emulator_url: str
) -> None:
    generate(ada, n=1)
    image = GeneratedImage.objects.get()

    for path in (
        f"/images/{image.pk}/",
        f"/images/{image.pk}/file/",
        f"/images/{image.pk}/thumbnail/",
        f"/images/{image.pk}/delete/",
        f"/images/?again={image.generation_id}",
    ):
        assert bob.get(path).status_code == 404, path
    assert bob.post(f"/images/{image.pk}/delete/").status_code == 404
    assert "No images yet" in bob.get("/images/").text
    assert GeneratedImage.objects.count() == 1


def test_again_fills_the_form_with_the_earlier_settings(ada: Client, emulator_url: str) -> None:
    generate(ada, n=3, size="512x512", google_search="on", model="gemini-3-pro-image-preview")
    generation = ImageGeneration.objects.get()

    page = ada.get(f"/images/?again={generation.pk}")

    assert '<option value="gemini-3-pro-image-preview" selected>' in page.text
    assert 'name="n" value="3"' in page.text
    assert '<option value="512x512" selected>' in page.text
    assert re.search(r'<input type="checkbox" name="google_search"[^>]* checked>', page.text)


def test_deleting_an_image_removes_its_files_and_an_empty_generation(
    ada: Client, emulator_url: str, media_root: Path
) -> None:
    generate(ada, n=1)
    image = GeneratedImage.objects.get()
    files = [media_root / image.file.name, media_root / image.thumbnail.name]

    confirm = ada.get(f"/images/{image.pk}/delete/")
    response = ada.post(f"/images/{image.pk}/delete/")

    assert confirm.status_code == 200 and "Delete this image?" in confirm.text
    assert response.status_code == 302
    assert not GeneratedImage.objects.exists() and not ImageGeneration.objects.exists()
    assert not any(path.exists() for path in files)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"prompt": "   "}, "Describe the image to generate."),
        ({"n": 5}, "Ask for 1 to 4 images."),
        ({"n": 0}, "Ask for 1 to 4 images."),
        ({"generation_config": "{not json"}, "Generation config is not valid JSON"),
        ({"generation_config": "[1]"}, "Generation config must be an object"),
        ({"safety_settings": '{"category": "x"}'}, "Safety settings must be a list"),
        ({"google_search": "on"}, "works only with gemini-3-pro-image-preview"),
        ({"model": "gemini-2.5-flash"}, "gemini-2.5-flash is not an image model of this provider"),
        ({"aspect_ratio": "7:5"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(
    ada: Client, emulator_url: str, fields: dict, message: str
) -> None:
    response = generate(ada, **fields)

    assert response.status_code == 400
    assert message in response.text
    assert not ImageGeneration.objects.exists()


def test_an_unreachable_endpoint_is_shown_and_the_form_keeps_what_was_typed(
    ada: Client, settings
) -> None:
    settings.EMULATOR_BASE_URL = f"http://127.0.0.1:{free_port()}/v1beta/openai/"
    settings.UPSTREAM_MAX_RETRIES = 0

    response = generate(ada, model="my-image-model")

    assert response.status_code == 502
    assert "Could not reach the model endpoint" in response.text
    assert SHEEP in response.text
    assert not ImageGeneration.objects.exists()
