"""A deck file: exported whole, imported as a new deck, refused whole when anything is wrong."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from playground.decks.models import Deck, Step
from playground.media.models import Attachment
from tests.decks.conftest import steps
from tests.security.objects import png

pytestmark = pytest.mark.django_db


def exported(client, deck: Deck) -> dict:
    response = client.get(f"/decks/{deck.pk}/export.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment;" in response["Content-Disposition"]
    return json.loads(response.content)


def upload(client, content: bytes | str):
    raw = content.encode() if isinstance(content, str) else content
    file = SimpleUploadedFile("deck.json", raw, content_type="application/json")
    return client.post("/decks/import/", {"file": file})


def test_a_deck_goes_out_and_comes_back_as_a_new_deck(ada, deck, media_root):
    data = exported(ada, deck)
    assert data["format"] == "gemini-playground-deck" and data["version"] == 1
    assert [step["kind"] for step in data["steps"]] == ["chat", "compare"]

    response = upload(ada, json.dumps(data))

    copy = Deck.objects.exclude(pk=deck.pk).get()
    assert response.status_code == 302 and response.url == f"/decks/{copy.pk}/"
    for original, imported in zip(steps(deck), steps(copy), strict=True):
        for field in ("kind", "prompt", "settings", "panes", "recording", "recorded_at",
                      "recorded_model"):  # fmt: skip
            assert getattr(imported, field) == getattr(original, field), field
    upload(ada, json.dumps(data))
    assert Deck.objects.count() == 3, "an import never overwrites: each makes a new deck"
    assert steps(deck)[0].prompt == "Capital of France?"


def test_attached_pictures_travel_inside_the_file(ada, ada_user, deck, media_root):
    ada.post("/media/upload/", {"file": SimpleUploadedFile("cat.png", png(), "image/png")})
    picture = Attachment.objects.get(owner=ada_user)
    steps(deck)[0].attachments.add(picture)
    data = exported(ada, deck)
    assert data["steps"][0]["attachments"] == [0] and data["attachments"][0]["data"]

    upload(ada, json.dumps(data))

    copy = Deck.objects.exclude(pk=deck.pk).get()
    (imported,) = steps(copy)[0].attachments.all()
    assert imported.pk != picture.pk and imported.sha256 == picture.sha256


def mutate(data: dict, change) -> str:
    change(data)
    return json.dumps(data)


def step0(data: dict) -> dict:
    return data["steps"][0]


BAD_FILES = {
    "not JSON": lambda data: "{not json",
    "a list": lambda data: "[]",
    "another format": lambda data: mutate(data, lambda d: d.update(format="other")),
    "a later version": lambda data: mutate(data, lambda d: d.update(version=2)),
    "no steps": lambda data: mutate(data, lambda d: d.update(steps=[])),
    "too deep": lambda data: '{"a":' * 40 + "1" + "}" * 40,
    "a bad kind": lambda data: mutate(data, lambda d: step0(d).update(kind="video")),
    "a prompt of the wrong type": lambda data: mutate(data, lambda d: step0(d).update(prompt=5)),
    "a broken fragment": lambda data: mutate(
        data, lambda d: step0(d)["recording"]["fragments"].append(["answer", "soon", "x"])
    ),
    "settings that make no request": lambda data: mutate(
        data, lambda d: step0(d)["settings"].update(tools="nonsense")
    ),
    "a missing file": lambda data: mutate(data, lambda d: step0(d).update(attachments=[3])),
    "a file that is no picture": lambda data: mutate(
        data,
        lambda d: (
            d.update(
                attachments=[
                    {
                        "name": "x.png",
                        "mime_type": "image/png",
                        "data": base64.b64encode(b"not a picture").decode(),
                    }
                ]
            ),
            step0(d).update(attachments=[0]),
        ),
    ),
    "too many panes": lambda data: mutate(
        data, lambda d: d["steps"][1].update(panes=d["steps"][1]["panes"] * 3)
    ),
}


@pytest.mark.parametrize("problem", BAD_FILES)
def test_a_malformed_file_is_refused_and_nothing_is_stored(ada, deck, media_root, problem):
    content = BAD_FILES[problem](exported(ada, deck))
    before = (Deck.objects.count(), Step.objects.count(), Attachment.objects.count())

    response = upload(ada, content)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported." in page and 'role="alert"' in page
    assert (Deck.objects.count(), Step.objects.count(), Attachment.objects.count()) == before
    assert not [path for path in media_root.rglob("*") if path.is_file()], "no file kept"


def test_an_oversized_file_is_refused_before_it_is_read(ada, deck, settings):
    settings.DECKS_IMPORT_MAX_BYTES = 2048
    data = exported(ada, deck)
    step0(data)["prompt"] = "x" * 5000

    response = upload(ada, json.dumps(data))

    assert response.status_code == 400
    assert "a deck file may be 2,048 at most" in response.content.decode()
    assert Deck.objects.count() == 1
