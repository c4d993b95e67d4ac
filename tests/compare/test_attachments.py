"""Images and recordings attached to a comparison's prompt: sent to every pane, kept, shared."""

from __future__ import annotations

import json
import urllib.request

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.urls import reverse

from playground.chat.models import Turn
from playground.compare.models import Comparison, Pane
from playground.compare.services import comparison_start
from playground.llm.runspec import Message
from playground.media.models import Attachment
from playground.runs.attachments import user_content
from playground.runs.settings import RunSettings
from playground.sharing.services import share_link_create, share_link_revoke
from tests.compare.conftest import Socket, run_payload
from tests.media import files

pytestmark = pytest.mark.django_db(transaction=True)

BY = "\u00d7"  # the multiplication sign the emulator writes between width and height
FINISHED = "<h2>Summary</h2>"
TWO_PANES = [
    {"model": "gemini-2.5-flash", "reasoning_mode": "effort", "reasoning_effort": "none"},
    {"model": "gemini-2.5-flash", "reasoning_mode": "effort", "reasoning_effort": "low"},
]


def upload(user, name: str, data: bytes, content_type: str) -> Attachment:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    response = client.post(
        reverse("media:upload"),
        {"file": SimpleUploadedFile(name, data, content_type=content_type)},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 201, response.content
    return Attachment.objects.get(pk=json.loads(response.content)["id"])


def received(emulator_url: str) -> list[dict]:
    request = urllib.request.Request(
        emulator_url + "_received", headers={"Authorization": "Bearer test"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return [item["body"] for item in json.load(response)["data"]]


async def run(user, payload: dict, until: str, **injected: object) -> str:
    async with Socket(user, **injected) as socket:
        await socket.send(**payload)
        await socket.receive_until(until, timeout=30)
    return "\n".join(socket.frames)


def saved_comparison(user, attachments: list[Attachment], prompt: str = "What is this?"):
    """A stored comparison of one finished pane, sent with these attachments."""
    settings = RunSettings(model="gemini-2.5-flash")
    spec = settings.to_spec([Message("user", user_content(prompt, list(attachments)))])
    comparison, (pane,) = comparison_start(
        user=user, prompt=prompt, system_prompt="", panes=[(settings, spec)],
        attachments=attachments,
    )  # fmt: skip
    Pane.objects.filter(pk=pane.pk).update(state="done", answer="A small picture.")
    return comparison


def test_it_sends_an_image_and_a_recording_to_every_pane(make_user, emulator_url):
    user = make_user("ann")
    photo = upload(user, "photo.png", files.picture((320, 200)), "image/png")
    memo = upload(user, "memo.wav", files.wav(1.5), "audio/wav")
    payload = run_payload("What is this?", TWO_PANES, attachments=[str(photo.pk), str(memo.pk)])

    frames = async_to_sync(run)(user, payload, FINISHED)

    panes = list(Pane.objects.filter(comparison__user=user).order_by("position"))
    assert [pane.state for pane in panes] == ["done", "done"]
    for pane in panes:
        assert f"320{BY}200" in pane.answer and "1.50 s" in pane.answer
        stored = json.dumps(pane.run_spec)
        assert f"attachment:{photo.pk}" in stored and f"attachment:{memo.pk}" in stored
        assert "base64," not in stored
    # What went on the wire carried the bytes, to both panes.
    for body in received(emulator_url)[-2:]:
        parts = body["messages"][-1]["content"]
        assert parts[0] == {"type": "text", "text": "What is this?"}
        assert parts[1]["image_url"]["url"].startswith("data:image/png;base64,")
        assert parts[2]["input_audio"]["format"] == "wav"
    comparison = Comparison.objects.get(user=user)
    assert list(comparison.attachments.order_by("comparisonattachment__position")) == [photo, memo]
    assert reverse("media:thumbnail", args=[photo.pk]) in frames


def test_it_refuses_another_users_attachment_and_stores_nothing(make_user, no_model_list):
    ann, bob = make_user("ann"), make_user("bob")
    theirs = upload(bob, "theirs.png", files.picture(), "image/png")
    payload = run_payload("What is this?", TWO_PANES, attachments=[str(theirs.pk)])

    frames = async_to_sync(run)(ann, payload, "Nothing was sent", model_ids=no_model_list)

    assert "An attachment is no longer available" in frames
    assert not Comparison.objects.exists()


def test_it_runs_a_picture_without_words(make_user, emulator_url):
    user = make_user("ann")
    photo = upload(user, "sunset.png", files.picture((64, 48)), "image/png")
    payload = run_payload("", TWO_PANES[:1], attachments=str(photo.pk))

    async_to_sync(run)(user, payload, FINISHED)

    comparison = Comparison.objects.get(user=user)
    assert comparison.title == "sunset.png"
    assert f"64{BY}48" in comparison.panes.get().answer


def test_it_keeps_a_file_a_saved_comparison_uses(make_user):
    user = make_user("ann")
    photo = upload(user, "photo.png", files.picture(), "image/png")
    comparison = saved_comparison(user, [photo])
    client = Client()
    client.force_login(user)

    refused = client.post(reverse("media:delete", args=[photo.pk]), headers={"HX-Request": "true"})
    page = client.get(reverse("compare:detail", args=[comparison.pk])).content.decode()

    assert refused.status_code == 409 and Attachment.objects.filter(pk=photo.pk).exists()
    # Shown with the saved run, and back in the prompt's attachments for "Run again".
    assert page.count(reverse("media:thumbnail", args=[photo.pk])) == 2
    assert f'name="attachments" value="{photo.pk}"' in page


def test_it_sends_the_attachments_to_chat_with_the_pane(make_user):
    user = make_user("ann")
    photo = upload(user, "photo.png", files.picture(), "image/png")
    comparison = saved_comparison(user, [photo])
    client = Client()
    client.force_login(user)

    client.post(reverse("compare:send_to_chat", args=[comparison.pk, 1]))

    question = Turn.objects.get(role="user", conversation__user=user)
    assert list(question.attachments.all()) == [photo]


def test_a_share_link_serves_exactly_its_attachments(make_user):
    ann = make_user("ann")
    photo = upload(ann, "photo.png", files.picture(), "image/png")
    memo = upload(ann, "memo.wav", files.wav(0.5), "audio/wav")
    private = upload(ann, "private.png", files.picture((40, 40)), "image/png")
    comparison = saved_comparison(ann, [photo, memo])
    link = share_link_create(user=ann, target=comparison)
    stranger = Client()

    page = stranger.get(reverse("sharing:view", args=[link.token])).content.decode()
    thumb = stranger.get(reverse("sharing:thumbnail", args=[link.token, photo.pk]))
    audio = stranger.get(reverse("sharing:file", args=[link.token, memo.pk]))
    other = stranger.get(reverse("sharing:file", args=[link.token, private.pk]))
    direct = stranger.get(reverse("media:file", args=[photo.pk]))

    assert reverse("sharing:thumbnail", args=[link.token, photo.pk]) in page
    assert reverse("sharing:file", args=[link.token, memo.pk]) in page
    assert reverse("media:file", args=[photo.pk]) not in page
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"
    assert audio.status_code == 200 and audio["Content-Type"].startswith("audio/")
    assert other.status_code == 404
    assert direct.status_code == 302  # the owner's own address still asks to sign in
    share_link_revoke(link=link)
    gone = stranger.get(reverse("sharing:thumbnail", args=[link.token, photo.pk]))
    assert gone.status_code == 404
