"""Messages carry text, image and audio parts exactly as the API takes them."""

from __future__ import annotations

import json

import pytest

from playground.llm.content_parts import ContentPart
from playground.llm.runspec import Message, RunSpec

IMAGE = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
AUDIO = {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}
TEXT = {"type": "text", "text": "What is in these?"}


def test_a_message_with_parts_is_sent_as_a_list_of_parts_in_order() -> None:
    message = Message("user", [TEXT, IMAGE, IMAGE, AUDIO])

    assert message.to_wire() == {"role": "user", "content": [TEXT, IMAGE, IMAGE, AUDIO]}
    assert isinstance(message.content, tuple)
    assert all(isinstance(part, ContentPart) for part in message.content)


def test_parts_given_as_values_are_sent_the_same_way() -> None:
    message = Message(
        "user",
        (
            ContentPart.of_text("What is in these?"),
            ContentPart.of_image("data:image/png;base64,iVBORw0KGgo="),
            ContentPart.of_audio("UklGRg==", "wav"),
        ),
    )

    assert message.to_wire()["content"] == [TEXT, IMAGE, AUDIO]


def test_plain_text_content_is_sent_as_a_string_as_before() -> None:
    assert Message("user", "Hi").to_wire() == {"role": "user", "content": "Hi"}
    assert Message("user", "Hi").text == "Hi"


def test_the_text_of_a_message_with_parts_leaves_the_media_out() -> None:
    assert Message("user", [TEXT, IMAGE]).text == "What is in these?"


def test_a_spec_with_parts_survives_to_dict_and_json_and_back() -> None:
    spec = RunSpec(
        provider="emulator",
        model="gemini-2.5-flash",
        messages=(Message("system", "Be brief."), Message("user", [TEXT, IMAGE, AUDIO])),
    )

    again = RunSpec.from_dict(json.loads(json.dumps(spec.to_dict())))

    assert again == spec
    assert again.request_body()["messages"][1]["content"] == [TEXT, IMAGE, AUDIO]


def test_a_stored_spec_from_before_parts_still_loads() -> None:
    stored = {
        "provider": "gemini",
        "model": "gemini-2.5-flash",
        "messages": [{"role": "user", "content": "Hello"}],
    }

    assert RunSpec.from_dict(stored).messages[0].content == "Hello"


@pytest.mark.parametrize(
    "part",
    [
        {"type": "video_url", "video_url": {}},
        {"type": "input_audio", "input_audio": {"format": "ogg"}},
    ],
)
def test_it_refuses_parts_the_api_does_not_take(part) -> None:
    with pytest.raises(ValueError):
        Message("user", [part])
