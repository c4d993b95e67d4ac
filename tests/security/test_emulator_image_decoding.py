"""Pictures sent to the emulator (chat image parts, video frames) are checked for their pixel
count before anything is decoded, decoded off the event loop, and no more of them at once than
the decode slots allow (issue 18, finding 4)."""

from __future__ import annotations

import asyncio
import base64
import json
import struct
import zlib

import pytest
from django.test import Client

from playground.emulator import media_parts, video_request
from playground.limits import decoding
from tests.security.objects import png

pytestmark = pytest.mark.django_db

API = "/emulator/v1beta/openai"
KEY = {"Authorization": "Bearer decoding-test-key"}


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that announces `width` x `height` and holds one row: made in microseconds, and
    only a decoder that trusts the header would reserve its full size."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    row = zlib.compress(b"\x00" + b"\x00" * width)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", row) + chunk(b"IEND", b"")


def chat_with_image(data: bytes) -> str:
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    content = [{"type": "text", "text": "What is this?"},
               {"type": "image_url", "image_url": {"url": url}}]  # fmt: skip
    return json.dumps(
        {"model": "gemini-2.5-flash", "messages": [{"role": "user", "content": content}]}
    )


def video_with_frame(data: bytes) -> str:
    google = {"image": base64.b64encode(data).decode()}
    return json.dumps(
        {"model": "veo-3.1-generate-preview", "prompt": "A fox", "extra_body": {"google": google}}
    )


def post(client: Client, path: str, body: str):
    return client.post(f"{API}/{path}", body, content_type="application/json", headers=KEY)


def error_of(response) -> dict:
    return response.json()[0]["error"]


@pytest.mark.parametrize("side", [13_000, 20_000])
def test_a_huge_video_frame_is_refused_from_its_header(client: Client, side: int) -> None:
    response = post(client, "videos", video_with_frame(png_header_only(side, side)))

    assert response.status_code == 400
    assert error_of(response)["status"] == "INVALID_ARGUMENT"
    assert "at most 50 megapixels are accepted" in error_of(response)["message"]


@pytest.mark.parametrize("side", [9_000, 20_000])
def test_a_huge_chat_image_is_refused_from_its_header(client: Client, side: int) -> None:
    response = post(client, "chat/completions", chat_with_image(png_header_only(side, side)))

    assert response.status_code == 400
    assert error_of(response)["message"].startswith("Unable to process input image.")
    assert "at most 50 megapixels are read" in error_of(response)["message"]


def test_ordinary_pictures_still_pass(client: Client, settings) -> None:
    settings.EMULATOR_VIDEO_SECONDS = 0

    chat = post(client, "chat/completions", chat_with_image(png((64, 48))))
    video = post(client, "videos", video_with_frame(png((64, 48))))

    assert chat.status_code == 200, chat.content
    assert "PNG 64\u00d748" in chat.json()["choices"][0]["message"]["content"]
    assert video.status_code == 200, video.content


def on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.mark.parametrize(
    ("module", "name", "path", "body"),
    [
        (media_parts, "_decoded_facts", "chat/completions", chat_with_image(png())),
        (video_request, "_small_png", "videos", video_with_frame(png())),
    ],
)
def test_pictures_are_decoded_off_the_event_loop(
    client: Client, monkeypatch, module, name: str, path: str, body: str
) -> None:
    decoded_on_loop: list[bool] = []
    decode = getattr(module, name)

    def watched(picture):
        decoded_on_loop.append(on_event_loop())
        return decode(picture)

    monkeypatch.setattr(module, name, watched)

    assert post(client, path, body).status_code == 200
    assert decoded_on_loop == [False]


def test_no_more_pictures_are_decoded_at_once_than_there_are_slots(
    client: Client, settings, monkeypatch
) -> None:
    settings.LIMIT_CONCURRENT_IMAGE_DECODES = 1
    monkeypatch.setattr(decoding, "DECODE_WAIT_SECONDS", 0.2)

    with decoding.image_decode_slot():  # another request is decoding
        busy = post(client, "chat/completions", chat_with_image(png()))
    free = post(client, "chat/completions", chat_with_image(png()))

    assert busy.status_code == 503
    assert error_of(busy)["status"] == "UNAVAILABLE"
    assert error_of(busy)["message"] == "The model is overloaded. Please try again later."
    assert free.status_code == 200
