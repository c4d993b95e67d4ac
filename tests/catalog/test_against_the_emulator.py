"""The registry over real HTTP: the served emulator, and an address where nothing listens."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.catalog.pages import groups_on
from tests.servers import free_port

pytestmark = pytest.mark.django_db


def test_it_lists_what_the_emulator_serves(signed_in: Client, emulator_url: str) -> None:
    response = signed_in.get("/models/")

    groups = groups_on(response.text)
    assert response.status_code == 200
    assert "gemini-2.5-flash" in groups["Chat with thinking"]
    assert "gemini-embedding-001" in groups["Embeddings"]
    assert "veo-3.1-generate-preview" in groups["Video generation"]


def test_it_shows_the_emulators_not_found_message(signed_in: Client, emulator_url: str) -> None:
    response = signed_in.get("/models/models/xyz/")

    assert response.status_code == 404
    assert "HTTP 404 · NOT_FOUND" in response.text
    assert "models/xyz is not found" in response.text


def test_it_shows_the_connection_failure_when_nothing_listens(signed_in: Client, settings) -> None:
    settings.EMULATOR_BASE_URL = f"http://127.0.0.1:{free_port()}/v1beta/openai/"
    settings.UPSTREAM_MAX_RETRIES = 0

    listing = signed_in.get("/models/")
    model = signed_in.get("/models/gemini-2.5-flash/")

    for response in (listing, model):
        assert response.status_code == 502
        assert "Connection error" in response.text
        assert "Could not reach the model endpoint" in response.text
