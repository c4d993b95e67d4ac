"""Images and recordings attached to chat messages: sent inline, stored once, kept safe."""

from __future__ import annotations

import json
import urllib.request

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.urls import reverse

from playground.chat.models import Turn
from playground.media.models import Attachment
from tests.chat.conftest import Socket, send_payload
from tests.media import files

BY = "\u00d7"  # the multiplication sign, as in "640 by 480"

pytestmark = pytest.mark.django_db(transaction=True)
DONE = 'turn-assistant" data-state="done" hx-swap-oob'


def upload(user, name: str, data: bytes, content_type: str) -> Attachment:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    response = client.post(
        reverse("media:upload"),
        {"file": _file(name, data, content_type)},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 201, response.content
    return Attachment.objects.get(pk=json.loads(response.content)["id"])


def _file(name: str, data: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


async def send(user, **payload) -> list[str]:
    async with Socket(user) as socket:
        await socket.send(**send_payload(**payload))
        await socket.receive_until(DONE, timeout=20)
    return socket.frames


def last_received(emulator_url: str) -> dict:
    request = urllib.request.Request(
        emulator_url + "_received", headers={"Authorization": "Bearer test"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["data"][-1]["body"]


def test_an_image_and_a_recording_reach_the_model_and_stay_on_the_turn(make_user, emulator_url):
    user = make_user("ann")
    photo = upload(user, "photo.png", files.picture((320, 200)), "image/png")
    memo = upload(user, "memo.wav", files.wav(1.5), "audio/wav")

    async_to_sync(send)(user, prompt="What is this?", attachments=[str(photo.pk), str(memo.pk)])

    reply = Turn.objects.get(role="assistant")
    assert f"320{BY}200" in reply.content and "1.50 s" in reply.content
    question = Turn.objects.get(role="user")
    assert list(question.attachments.order_by("turnattachment__position")) == [photo, memo]
    # The stored request names the files; what went on the wire carried their bytes.
    stored = json.dumps(reply.run_spec)
    assert f"attachment:{photo.pk}" in stored and "base64," not in stored
    sent = last_received(emulator_url)["messages"][-1]["content"]
    assert sent[0] == {"type": "text", "text": "What is this?"}
    assert sent[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert sent[2]["input_audio"]["format"] == "wav"


def test_an_edit_keeps_the_attachments_in_the_order_they_were_attached(make_user, emulator_url):
    """The newest upload first is the attachments' own order: an edit used to re-attach them
    that way, a picture and a recording sent in the other order came back reversed."""
    user = make_user("ed")
    photo = upload(user, "photo.png", files.picture(), "image/png")
    memo = upload(user, "memo.wav", files.wav(1.0), "audio/wav")  # the newer
    async_to_sync(send)(user, prompt="What is this?", attachments=[str(photo.pk), str(memo.pk)])
    asked = Turn.objects.get(role="user")

    async_to_sync(send)(
        user, action="edit", prompt="And this?", conversation=str(asked.conversation_id),
        turn=str(asked.pk),
    )  # fmt: skip

    edited = Turn.objects.filter(role="user").exclude(pk=asked.pk).get()
    assert edited.content == "And this?"
    assert edited.attached == [photo, memo]
    sent = last_received(emulator_url)["messages"][-1]["content"]
    assert [part["type"] for part in sent] == ["text", "image_url", "input_audio"]


def test_a_picture_alone_is_a_message(make_user, emulator_url):
    user = make_user("bo")
    photo = upload(user, "photo.png", files.picture(), "image/png")
    async_to_sync(send)(user, prompt="", attachments=str(photo.pk))
    assert Turn.objects.get(role="user").attachments.get() == photo


def test_later_turns_send_earlier_pictures_again(make_user, emulator_url):
    user = make_user("cy")
    photo = upload(user, "photo.png", files.picture(), "image/png")
    async_to_sync(send)(user, prompt="Look", attachments=str(photo.pk))
    conversation = str(Turn.objects.get(role="user").conversation_id)
    async_to_sync(send)(user, prompt="And now?", conversation=conversation)
    messages = last_received(emulator_url)["messages"]
    assert messages[0]["content"][1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert messages[-1]["content"] == "And now?"


def test_someone_elses_attachment_is_refused(make_user, emulator_url):
    owner, other = make_user("owner1"), make_user("other1")
    photo = upload(owner, "photo.png", files.picture(), "image/png")

    async def try_it() -> str:
        async with Socket(other) as socket:
            await socket.send(**send_payload("mine now", attachments=str(photo.pk)))
            return await socket.receive_until('id="composer-errors"')

    assert "no longer available" in async_to_sync(try_it)()
    assert not Turn.objects.exists()


def test_an_attachment_in_a_conversation_cannot_be_deleted(make_user, emulator_url):
    user = make_user("dee")
    photo = upload(user, "photo.png", files.picture(), "image/png")
    async_to_sync(send)(user, prompt="Keep this", attachments=str(photo.pk))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    response = client.post(reverse("media:delete", args=[photo.pk]), follow=True)
    assert "was sent in a conversation" in response.content.decode()
    assert Attachment.objects.filter(pk=photo.pk).exists()
    page = client.get(reverse("chat:conversation", args=[Turn.objects.first().conversation_id]))
    assert reverse("media:thumbnail", args=[photo.pk]) in page.content.decode()


def test_a_shared_conversation_shows_its_pictures_to_the_link_holder_only(make_user, emulator_url):
    from playground.sharing.models import ShareLink

    user = make_user("eve")
    photo = upload(user, "photo.png", files.picture((120, 80)), "image/png")
    other = upload(user, "private.png", files.picture((90, 90)), "image/png")
    async_to_sync(send)(user, prompt="Share this", attachments=str(photo.pk))
    conversation = Turn.objects.get(role="user").conversation
    owner = Client(HTTP_HOST="127.0.0.1")
    owner.force_login(user)
    owner.post(reverse("sharing:create"), {"kind": "conversation", "target": conversation.pk})
    token = ShareLink.objects.get(conversation=conversation).token

    stranger = Client(HTTP_HOST="127.0.0.1")
    page = stranger.get(reverse("sharing:view", args=[token])).content.decode()
    thumbnail = reverse("sharing:thumbnail", args=[token, photo.pk])
    assert thumbnail in page
    assert stranger.get(thumbnail).status_code == 200
    assert stranger.get(reverse("sharing:file", args=[token, other.pk])).status_code == 404
