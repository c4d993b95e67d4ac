"""The demo check: upload a picture and a WAV, send them as parts, read what the emulator got."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from playground.llm.events import AnswerDelta
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply
from playground.media.models import Attachment
from playground.media.services import attachment_as_content_part
from tests.media import files

# The multiplication sign replies and notes use, as in "640 by 480".
BY = "\u00d7"


async def _answer(spec: RunSpec) -> str:
    return "".join([e.text async for e in stream_reply(spec) if isinstance(e, AnswerDelta)])


@pytest.mark.django_db
def test_an_uploaded_picture_and_recording_reach_the_emulator_intact(post_file, emulator_url):
    post_file("photo.jpg", files.jpeg_with_exif(orientation=6, size=(640, 480)), "image/jpeg")
    post_file("memo.wav", files.wav(2.5, rate=16000), "audio/wav")
    photo = Attachment.objects.get(kind="image")
    memo = Attachment.objects.get(kind="audio")
    content = [
        {"type": "text", "text": "What is in the picture, and what do you hear?"},
        attachment_as_content_part(photo),
        attachment_as_content_part(memo),
    ]
    spec = RunSpec(
        provider="emulator", model="gemini-2.5-flash", messages=(Message("user", content),)
    )

    answer = async_to_sync(_answer)(spec)

    # The upload stored the photo upright (480 by 640); the emulator decoded those very bytes.
    assert (
        f"image 1: JPEG 480{BY}640, {photo.byte_size:,} bytes, sha256 {photo.short_sha256}"
        in answer
    )
    assert f"audio clip 1: WAV 2.50 s, 16,000 Hz mono, {memo.byte_size:,} bytes" in answer
    assert f"sha256 {memo.short_sha256}" in answer
