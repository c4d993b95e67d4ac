"""Pictures and sound in chat messages: decoded and described in the reply, or refused."""

from __future__ import annotations

import base64
import io
from typing import Any

from openai import OpenAI
from PIL import Image

from tests.emulator.conftest import error_of, post_raw
from tests.media import files

# The multiplication sign replies and notes use, as in "640 by 480".
BY = "\u00d7"


def image_part(data: bytes, mime_type: str = "image/png") -> dict[str, Any]:
    url = f"data:{mime_type};base64,{base64.b64encode(data).decode()}"
    return {"type": "image_url", "image_url": {"url": url}}


def audio_part(data: bytes, audio_format: str = "wav") -> dict[str, Any]:
    encoded = base64.b64encode(data).decode()
    return {"type": "input_audio", "input_audio": {"data": encoded, "format": audio_format}}


def ask(*parts: dict[str, Any]) -> dict[str, Any]:
    content = [{"type": "text", "text": "What did I send?"}, *parts]
    return {"model": "gemini-2.5-flash", "messages": [{"role": "user", "content": content}]}


def reply_to(base_url: str, *parts: dict[str, Any]) -> str:
    response = post_raw(base_url, "chat/completions", ask(*parts))
    assert response.status_code == 200, response.text
    return response.json()["choices"][0]["message"]["content"]


def test_it_describes_every_picture_and_clip_of_a_message_in_order(sdk: OpenAI) -> None:
    jpeg = files.picture((30, 20), image_format="JPEG")
    response = sdk.chat.completions.create(
        **ask(
            image_part(files.picture((64, 48))),
            image_part(jpeg, "image/jpeg"),
            audio_part(files.wav(0.75, rate=8000, channels=2)),
            audio_part(files.mp3(1.0), "mp3"),
        )
    )

    content = response.choices[0].message.content
    assert "(2 images, 2 audio clips attached.)" in content
    assert f"- image 1: PNG 64{BY}48, " in content
    assert f"- image 2: JPEG 30{BY}20, {len(jpeg):,} bytes, sha256 " in content
    assert "- audio clip 1: WAV 0.75 s, 8,000 Hz 2 channels" in content
    assert "- audio clip 2: MP3 1.00 s, 44,100 Hz mono" in content


def test_it_names_a_picture_sent_under_the_wrong_type(base_url: str) -> None:
    content = reply_to(base_url, image_part(files.picture((8, 8)), "image/jpeg"))

    assert f"image 1: PNG 8{BY}8 (sent as image/jpeg)" in content


def test_it_counts_sound_as_gemini_bills_it(base_url: str) -> None:
    short = post_raw(base_url, "chat/completions", ask(audio_part(files.wav(1, rate=8000))))
    long = post_raw(base_url, "chat/completions", ask(audio_part(files.wav(11, rate=8000))))

    added = long.json()["usage"]["prompt_tokens"] - short.json()["usage"]["prompt_tokens"]
    assert added == 10 * 32


def test_it_refuses_an_http_image_address(base_url: str) -> None:
    part = {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}

    response = post_raw(base_url, "chat/completions", ask(part))

    assert response.status_code == 400
    assert "https://example.com/cat.jpg" in error_of(response)["message"]


def test_it_refuses_bytes_that_are_not_base64(base_url: str) -> None:
    part = {"type": "image_url", "image_url": {"url": "data:image/png;base64,not*base64!"}}

    error = error_of(post_raw(base_url, "chat/completions", ask(part)))

    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == (
        "Invalid value at 'messages[0].content[1].image_url.url' (TYPE_BYTES), "
        'Base64 decoding failed for "not*base64!"'
    )


def test_it_refuses_a_data_address_without_base64(base_url: str) -> None:
    part = {"type": "image_url", "image_url": {"url": "data:image/png;base64"}}

    message = error_of(post_raw(base_url, "chat/completions", ask(part)))["message"]

    assert message.endswith('Base64 decoding failed for "data:image/png;base64"')


def test_it_refuses_a_picture_type_gemini_does_not_take(base_url: str) -> None:
    response = post_raw(
        base_url, "chat/completions", ask(image_part(files.animated_gif(), "image/gif"))
    )

    assert error_of(response)["message"] == "Unsupported MIME type: image/gif"


def test_it_refuses_a_picture_that_does_not_decode(base_url: str) -> None:
    buffer = io.BytesIO()
    Image.frombytes("RGB", (100, 100), bytes(range(256)) * 117 + b"\0" * 48).save(buffer, "PNG")
    cut = buffer.getvalue()[: buffer.tell() // 2]

    for data in (cut, b"plain text, not a picture"):
        error = error_of(post_raw(base_url, "chat/completions", ask(image_part(data))))
        assert error["message"].startswith("Unable to process input image.")


def test_it_refuses_an_audio_format_other_than_wav_or_mp3(base_url: str) -> None:
    part = audio_part(files.encoded_audio("ogg", "libopus"), "ogg")

    error = error_of(post_raw(base_url, "chat/completions", ask(part)))

    assert error["message"] == (
        "Invalid value at 'messages[0].content[1].input_audio.format' (TYPE_ENUM), \"ogg\""
    )


def test_it_says_when_a_recording_arrived_cut_short(base_url: str) -> None:
    whole = files.wav(2.0, rate=8000)

    content = reply_to(base_url, audio_part(whole[: len(whole) // 2]))

    assert (
        "audio clip 1: WAV that could not be read (cut short: the header announces 2.00 s"
        in content
    )


def test_it_says_when_sound_is_not_what_its_format_claims(base_url: str) -> None:
    content = reply_to(
        base_url,
        audio_part(files.mp3(0.5), "wav"),
        audio_part(files.wav(0.5, rate=8000), "mp3"),
    )

    assert "audio clip 1: WAV that could not be read (not a PCM WAV file" in content
    assert "audio clip 2: MP3 that could not be read" in content
