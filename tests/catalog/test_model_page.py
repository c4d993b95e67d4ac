from __future__ import annotations

import re

import pytest
from django.test import Client

from playground.catalog import selectors
from playground.llm.errors import UpstreamError
from tests.catalog.conftest import FakeUpstream, remote

pytestmark = pytest.mark.django_db
PAGES = re.compile(r'<dd id="model-pages">(.*?)</dd>', re.S)


def pages_offered(html: str) -> list[str]:
    """The labels of the "Use it in" links."""
    found = PAGES.search(html)
    assert found, "no 'Use it in' entry on the page"
    return re.findall(r">([^<]+)</a>", found.group(1))


@pytest.mark.parametrize(
    "path",
    [
        "/models/models/gemini-2.5-flash/",
        "/models/gemini-2.5-flash/",
        "/models/models%2Fgemini-2.5-flash/",
    ],
)
def test_it_finds_a_model_named_with_or_without_its_prefix(
    signed_in: Client, upstream: FakeUpstream, path: str
) -> None:
    response = signed_in.get(path)

    assert response.status_code == 200
    assert '<h1 class="model-title">models/gemini-2.5-flash</h1>' in response.text
    assert upstream.retrieve_calls[0].removeprefix("models/") == "gemini-2.5-flash"


def test_it_shows_every_field_the_endpoint_returned(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    upstream.models = [
        remote(
            "models/gemini-2.5-flash",
            created=1750118400,
            display_name="Gemini 2.5 Flash",
            input_token_limit=1048576,
            supported_actions=["generateContent", "countTokens"],
        )
    ]

    response = signed_in.get("/models/gemini-2.5-flash/")

    for name, value in [
        ("id", "models/gemini-2.5-flash"),
        ("object", "model"),
        ("owned_by", "google"),
        ("created", "1750118400"),
        ("display_name", "Gemini 2.5 Flash"),
        ("input_token_limit", "1048576"),
    ]:
        assert f"<dt>{name}</dt>\n      <dd><code>{value}</code>" in response.text
    assert "2025-06-17 00:00 UTC" in response.text
    assert "&quot;generateContent&quot;" in response.text


def test_it_shows_what_each_reasoning_effort_means_for_the_family(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    response = signed_in.get("/models/gemini-2.5-flash/")

    assert "Gemini 2.5 Flash" in response.text
    assert 'id="reasoning-table"' in response.text
    assert "<code>medium</code>" in response.text
    assert "medium on gemini-2.5-flash = 8,192-token thinking budget" in response.text
    assert "none on gemini-2.5-flash = thinking off" in response.text
    assert "Yes (reasoning_effort: none)" in response.text


def test_it_says_when_thinking_cannot_be_turned_off(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    upstream.models = [remote("models/gemini-3.1-pro-preview")]

    response = signed_in.get("/models/gemini-3.1-pro-preview/")

    assert "Thinking can be turned off</dt><dd>No" in response.text
    assert "gemini-3.1-pro-preview cannot turn thinking off" in response.text
    assert "minimal on gemini-3.1-pro-preview = thinking level low" in response.text


def test_it_offers_the_chat_page_for_a_chat_model(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    response = signed_in.get("/models/gemini-2.0-flash/")

    assert "Chat" in pages_offered(response.text)
    assert 'href="/chat/?model=gemini-2.0-flash">Chat</a>' in response.text


def test_it_offers_no_chat_page_for_an_embedding_model(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    response = signed_in.get("/models/gemini-embedding-001/")

    assert "Embeddings" in response.text
    assert "Chat" not in pages_offered(response.text)


@pytest.mark.parametrize(
    ("model", "page"),
    [("gemini-3-pro-image-preview", "Images"), ("veo-3.1-generate-preview", "Video"),
     ("gemini-embedding-001", "Embeddings"), ("gemini-2.5-flash", "Compare"),
     ("gemini-embedding-001", "Batches"), ("gemini-2.5-flash", "Batches")],
)  # fmt: skip
def test_it_offers_each_page_that_takes_the_model(
    signed_in: Client, upstream: FakeUpstream, model: str, page: str
) -> None:
    response = signed_in.get(f"/models/{model}/")

    assert page in pages_offered(response.text)


def test_it_leaves_out_pages_the_playground_does_not_have(
    signed_in: Client, upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        selectors, "PAGES", (("chat", "Chat", "chat:index"), ("chat", "Nowhere", "nowhere:index"))
    )

    response = signed_in.get("/models/gemini-2.0-flash/")

    assert pages_offered(response.text) == ["Chat"]


def test_it_says_when_the_catalog_does_not_know_the_family(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    response = signed_in.get("/models/aqa/")

    assert response.status_code == 200
    assert "does not know this model" in response.text
    assert 'id="reasoning-table"' not in response.text


def test_an_unknown_model_is_a_404_page_with_geminis_message(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    response = signed_in.get("/models/models/xyz/")

    assert response.status_code == 404
    assert "HTTP 404 · NOT_FOUND" in response.text
    assert "models/xyz is not found for API version v1main" in response.text
    assert "<html" in response.text


def test_an_unreachable_endpoint_is_shown_with_its_connection_message(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    upstream.error = UpstreamError(
        "Could not reach the model endpoint (Connection refused).", kind="connection"
    )

    response = signed_in.get("/models/gemini-2.5-flash/")

    assert response.status_code == 502
    assert "Connection error" in response.text
    assert "Could not reach the model endpoint (Connection refused)." in response.text


def test_it_shows_the_models_price_card_with_its_source(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    response = signed_in.get("/models/gemini-2.5-flash/")

    card = response.text.split('id="model-price"', 1)[1].split("</section>", 1)[0]
    assert "$0.30 per million tokens" in card
    assert "Gemini bills thinking as output" in card
    assert "flex" in card and "priority" in card
    assert "ai.google.dev/gemini-api/docs/pricing" in card


def test_it_says_a_models_price_is_unknown(signed_in: Client, upstream: FakeUpstream) -> None:
    response = signed_in.get("/models/aqa/")

    card = response.text.split('id="model-price"', 1)[1].split("</section>", 1)[0]
    assert "Price unknown" in card
    assert "$0" not in card
