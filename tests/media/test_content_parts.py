"""An attachment becomes exactly the message part the API expects, built from the stored bytes."""

from __future__ import annotations

import base64

from playground.media.models import Attachment
from playground.media.services import attachment_as_content_part
from tests.media import files


def test_an_image_becomes_an_image_url_part_with_a_base64_data_url(post_file, media_root):
    post_file("a.jpg", files.picture(image_format="JPEG"), "image/jpeg")
    attachment = Attachment.objects.get()

    part = attachment_as_content_part(attachment)

    assert list(part) == ["type", "image_url"] and part["type"] == "image_url"
    prefix, _, data = part["image_url"]["url"].partition(",")
    assert prefix == "data:image/jpeg;base64"
    assert base64.b64decode(data, validate=True) == (media_root / attachment.file.name).read_bytes()


def test_a_wav_becomes_an_input_audio_part(post_file):
    sound = files.wav(0.5, rate=8000)
    post_file("a.wav", sound, "audio/wav")

    part = attachment_as_content_part(Attachment.objects.get())

    assert part == {
        "type": "input_audio",
        "input_audio": {"data": base64.b64encode(sound).decode("ascii"), "format": "wav"},
    }


def test_an_mp3_is_sent_with_the_mp3_format(post_file):
    post_file("a.mp3", files.mp3(0.3), "audio/mpeg")

    assert attachment_as_content_part(Attachment.objects.get())["input_audio"]["format"] == "mp3"
