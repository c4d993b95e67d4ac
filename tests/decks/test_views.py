"""Building a deck from conversations and comparisons, editing it, and who may see it."""

from __future__ import annotations

import pytest
from django.test import Client

from playground.decks.models import Deck, Step
from tests.decks.conftest import chat_of, comparison_of, steps

pytestmark = pytest.mark.django_db


def test_it_adds_a_conversations_last_prompt_with_its_settings_and_recording(ada, ada_user):
    conversation = chat_of(ada_user)
    page = ada.get(f"/chat/{conversation.pk}/").content.decode()
    assert f"/decks/add/?source=conversation&amp;target={conversation.pk}" in page
    picker = ada.get("/decks/add/", {"source": "conversation", "target": conversation.pk})
    assert picker.status_code == 200 and "A new deck" in picker.content.decode()

    response = ada.post("/decks/add/", {"source": "conversation", "target": conversation.pk,
                                        "deck": "", "new_title": "Demo day"})  # fmt: skip

    deck = Deck.objects.get(owner=ada_user)
    assert response.status_code == 302 and response.url == f"/decks/{deck.pk}/"
    (step,) = steps(deck)
    assert (deck.title, step.kind, step.prompt) == ("Demo day", "chat", "Capital of France?")
    assert step.settings["model"] == "gemini-2.5-flash" and step.settings["temperature"] == 0.3
    assert step.recording["fragments"][1] == ["answer", 400, "Paris is t"]
    assert step.recorded_model == "gemini-2.5-flash" and step.recorded_at is not None


def test_it_adds_a_comparison_with_every_pane_and_its_recording(ada, ada_user):
    comparison = comparison_of(ada_user)
    deck = Deck.objects.create(owner=ada_user, title="Existing")
    page = ada.get(f"/compare/{comparison.pk}/").content.decode()
    assert f"/decks/add/?source=comparison&amp;target={comparison.pk}" in page
    ada.post("/decks/add/", {"source": "comparison", "target": comparison.pk, "deck": deck.pk})
    (step,) = steps(deck)
    assert step.kind == "compare" and step.prompt == "Why is the sky blue?"
    assert [pane["settings"]["thinking_budget"] for pane in step.panes] == [0, 512, 1024, 1536]
    assert all(pane["recording"]["fragments"] for pane in step.panes)


def test_steps_move_edit_and_delete(ada, deck):
    chat, compare = steps(deck)
    ada.post(f"/decks/{deck.pk}/steps/{compare.pk}/move/", {"direction": "up"})
    assert [s.pk for s in steps(deck)] == [compare.pk, chat.pk]
    ada.post(f"/decks/{deck.pk}/steps/{compare.pk}/move/", {"direction": "up"})  # already first
    assert [s.pk for s in steps(deck)] == [compare.pk, chat.pk]
    ada.post(f"/decks/{deck.pk}/steps/{chat.pk}/edit/", {"prompt": "Capital of Italy?"})
    ada.post(f"/decks/{deck.pk}/steps/{compare.pk}/delete/")
    (left,) = steps(deck)
    assert (left.pk, left.prompt, left.position) == (chat.pk, "Capital of Italy?", 0)
    page = ada.get(f"/decks/{deck.pk}/").content.decode()
    assert "Capital of Italy?" in page and "Why is the sky blue?" not in page


def test_the_deck_settings_are_checked(ada, deck):
    response = ada.post(f"/decks/{deck.pk}/", {"title": "x", "mode": "replay",
                                               "fallback_seconds": 0})  # fmt: skip
    assert response.status_code == 400 and "between 1 and 600" in response.content.decode()
    deck.refresh_from_db()
    assert deck.mode == "fallback"


def test_someone_else_cannot_see_or_change_a_deck(deck, make_client):
    other = make_client("mallory")
    chat, _ = steps(deck)
    for url in (
        f"/decks/{deck.pk}/",
        f"/decks/{deck.pk}/present/",
        f"/decks/{deck.pk}/export.json",
    ):
        assert other.get(url).status_code == 404
    assert other.post(f"/decks/{deck.pk}/steps/{chat.pk}/delete/").status_code == 404
    assert other.post(f"/decks/{deck.pk}/delete/").status_code == 404
    assert other.post("/decks/add/", {"source": "conversation", "target": 1,
                                      "deck": deck.pk}).status_code == 404  # fmt: skip
    assert Step.objects.filter(deck=deck).count() == 2


def test_the_present_page_shows_every_step_one_at_a_time(ada, deck):
    page = ada.get(f"/decks/{deck.pk}/present/").content.decode()
    assert page.count('class="deck-slide"') == 2 and page.count(" hidden>") == 1
    assert page.count('class="deck-slot"') == 5, "one chat reply and four panes"
    assert 'ws-connect="/ws/decks/"' in page and "js/decks.js" in page


def test_a_shared_deck_opens_read_only_until_the_link_is_revoked(ada, deck):
    ada.post(f"/decks/{deck.pk}/share/")
    deck.refresh_from_db()
    url = f"/decks/shared/{deck.share_token}/"
    page = Client().get(url).content.decode()
    assert "Paris is the capital." in page and "replayed, recorded on" in page
    assert "ws-connect" not in page and "Thinking tokens" in page
    ada.post(f"/decks/{deck.pk}/share/", {"revoke": "1"})
    assert Client().get(url).status_code == 404
