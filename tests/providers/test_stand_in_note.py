"""The embeddings page's "Emulator vectors: a stand-in" note follows the provider picked for the
next run (redrawn beside the model picker, and right after a full submit without JavaScript);
a run the emulator made keeps its own."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from playground.catalog import selectors
from playground.embeddings.models import EmbeddingRun
from playground.llm.models_api import RemoteModel
from playground.llm.providers import Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_up(monkeypatch: pytest.MonkeyPatch, two_providers) -> None:
    async def list_models(provider: Provider) -> list[RemoteModel]:
        ids = ["text-embedding-3-small"] if provider.name == "local" else ["gemini-embedding-001"]
        return [RemoteModel.from_api({"id": model_id}) for model_id in ids]

    monkeypatch.setattr(selectors, "list_models", list_models)


def stand_in_notes(page: str) -> list[str]:
    """The opening tag of each stand-in note on the page."""
    return re.findall(r'<p class="stand-in-note" id="stand-in-note"[^>]*>', page)


def models_of(client: Client, provider: str) -> str:
    asked = {"provider": provider, "capability": "embeddings", "stand_in_note": "1"}
    return client.get(reverse("catalog:provider_models"), asked).text


def test_picking_a_provider_redraws_the_note_beside_its_models(ada: Client, both_up) -> None:
    page = ada.get("/embeddings/").text

    assert '"stand_in_note": "1"' in page
    [emulator] = stand_in_notes(models_of(ada, "emulator"))
    [local] = stand_in_notes(models_of(ada, "local"))
    assert 'hx-swap-oob="true"' in emulator and "hidden" not in emulator
    assert 'hx-swap-oob="true"' in local and "hidden" in local


def test_a_page_drawn_for_another_provider_hides_the_note(ada: Client, both_up) -> None:
    asked = ada.get("/embeddings/", {"provider": "local"}).text
    # Without JavaScript: a full submit for the other provider comes back for it.
    refused = ada.post("/embeddings/", {"provider": "local", "model": "text-embedding-3-small"})

    assert refused.status_code == 400
    for page in (asked, refused.text):
        [note] = stand_in_notes(page)
        assert "hidden" in note
    [shown] = stand_in_notes(ada.get("/embeddings/").text)
    assert "hidden" not in shown


def test_a_run_the_emulator_made_keeps_its_note_and_another_run_s_page_follows_the_picker(
    ada: Client, both_up, django_user_model
) -> None:
    vectors = EmbeddingRun.pack(((1.0, 0.0), (0.0, 1.0)))
    made = {"user": django_user_model.objects.get(), "base_url": "x", "texts": ["a", "b"],
            "size": 2, "vectors": vectors}  # fmt: skip
    emulated = EmbeddingRun.objects.create(
        provider_name="emulator", model="gemini-embedding-001", **made
    )
    local = EmbeddingRun.objects.create(
        provider_name="local", model="text-embedding-3-small", **made
    )
    emulated_page = ada.get(f"/embeddings/{emulated.pk}/").text
    local_page = ada.get(f"/embeddings/{local.pk}/").text

    [note] = stand_in_notes(emulated_page)
    assert "hidden" not in note and "hx-swap-oob" not in note
    assert "stand_in_note" not in emulated_page  # the picker leaves the run's note alone
    [follows] = stand_in_notes(local_page)
    assert "hidden" in follows and '"stand_in_note": "1"' in local_page
