"""`playground.llm.images`: the request as the seed sends it, the reply read defensively."""

from __future__ import annotations

import json

import httpx2
import pytest

from playground.llm.errors import UpstreamError
from playground.llm.images import (
    ImageRequest,
    generate_images,
    image_format,
    images_from_reply,
)
from tests.llm.fakes import fake_client
from tests.media.files import b64, picture_bytes

SHEEP = "a portrait of a sheepadoodle wearing a cape"


def test_it_sends_the_seeds_body_with_gemini_extras_under_extra_body_google() -> None:
    request = ImageRequest(
        provider="gemini",
        model="gemini-3-pro-image-preview",
        prompt=SHEEP,
        n=2,
        size="1024x1024",
        aspect_ratio="16:9",
        generation_config_json='{"responseModalities": ["IMAGE"]}',
        safety_settings_json=[{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_NONE"}],
        google_search=True,
    )

    assert request.request_body() == {
        "model": "gemini-3-pro-image-preview",
        "prompt": SHEEP,
        "response_format": "b64_json",
        "n": 2,
        "size": "1024x1024",
        "extra_body": {
            "google": {
                "aspect_ratio": "16:9",
                "generation_config": {"responseModalities": ["IMAGE"]},
                "safety_settings": [
                    {"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_NONE"}
                ],
                "tools": [{"google_search": {}}],
            }
        },
    }
    # The SDK merges its own extra_body into the top level: Gemini's key goes one level down.
    assert request.create_kwargs()["extra_body"] == {
        "extra_body": request.request_body()["extra_body"]
    }


def test_a_plain_request_is_the_seeds_example_exactly() -> None:
    request = ImageRequest(provider="gemini", model="gemini-2.5-flash-image", prompt=SHEEP)

    assert request.request_body() == {
        "model": "gemini-2.5-flash-image",
        "prompt": SHEEP,
        "response_format": "b64_json",
        "n": 1,
    }
    assert ImageRequest.from_dict(request.to_dict()) == request


def test_it_tells_png_webp_and_jpeg_apart_by_their_bytes() -> None:
    assert image_format(picture_bytes("PNG")) == "image/png"
    assert image_format(picture_bytes("WEBP")) == "image/webp"
    assert image_format(picture_bytes("JPEG")) == "image/jpeg"
    assert image_format(b"GIF89a....") is None


def test_it_reads_each_image_of_a_reply_with_its_real_format() -> None:
    reply = {
        "created": 1,
        "data": [{"b64_json": b64(picture_bytes("WEBP"))}, {"b64_json": b64(picture_bytes("PNG"))}],
    }

    images = images_from_reply(reply)

    assert [image.mime_type for image in images] == ["image/webp", "image/png"]
    assert [image.extension for image in images] == ["webp", "png"]


@pytest.mark.parametrize(
    ("reply", "says"),
    [
        ({"data": []}, "returned no image"),
        ({"created": 1}, "no `data` list"),
        ({"data": [{"b64_json": "not base64!"}]}, "not valid base64"),
        ({"data": [{"b64_json": b64(b"GIF89a-and-more")}]}, "neither PNG nor WEBP"),
        ({"data": [{"url": "https://example.com/x.png"}]}, "came as a URL"),
        ([{"error": {"code": 400, "message": "Nope.", "status": "INVALID_ARGUMENT"}}], "Nope."),
    ],
)
def test_a_reply_without_usable_images_is_an_upstream_error(reply: object, says: str) -> None:
    with pytest.raises(UpstreamError) as raised:
        images_from_reply(reply)

    assert says in str(raised.value)


async def test_it_posts_to_images_generations_and_returns_the_pictures() -> None:
    sent: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        return httpx2.Response(
            200, json={"created": 1, "data": [{"b64_json": b64(picture_bytes())}]}
        )

    request = ImageRequest(
        provider="gemini", model="gemini-2.5-flash-image", prompt=SHEEP, aspect_ratio="1:1"
    )
    images = await generate_images(request, client=fake_client(handler))

    assert sent[0].url.path.endswith("/images/generations")
    assert json.loads(sent[0].content) == request.request_body()
    assert images[0].mime_type == "image/png"


async def test_geminis_list_wrapped_error_becomes_a_readable_upstream_error() -> None:
    body = [
        {
            "error": {
                "code": 400,
                "message": "Image generation is not available in your country.",
                "status": "FAILED_PRECONDITION",
            }
        }
    ]
    client = fake_client(lambda request: httpx2.Response(400, json=body))

    with pytest.raises(UpstreamError) as raised:
        await generate_images(ImageRequest(provider="gemini", model="x", prompt="y"), client=client)

    assert raised.value.status_code == 400
    assert raised.value.message == "Image generation is not available in your country."
