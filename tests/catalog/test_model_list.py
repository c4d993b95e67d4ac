from __future__ import annotations

import pytest
from django.test import Client

from playground.llm.errors import UpstreamError
from tests.catalog.conftest import FakeUpstream
from tests.catalog.pages import groups_on

pytestmark = pytest.mark.django_db


def test_it_lists_the_providers_models_grouped_by_what_they_do(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    response = signed_in.get("/models/")

    assert response.status_code == 200
    assert list(groups_on(response.text).items()) == [
        ("Chat with thinking", ["gemini-2.5-flash"]),
        ("Chat", ["gemini-2.0-flash"]),
        ("Image generation", ["gemini-3-pro-image-preview"]),
        ("Video generation", ["veo-3.1-generate-preview"]),
        ("Embeddings", ["gemini-embedding-001"]),
        ("Other", ["aqa"]),
    ]
    assert 'href="/models/gemini-2.5-flash/"' in response.text
    assert "6 models." in response.text


def test_it_filters_with_a_plain_get_form(signed_in: Client, upstream: FakeUpstream) -> None:
    response = signed_in.get("/models/", {"q": "FLASH"})

    assert response.status_code == 200
    assert "<html" in response.text
    assert groups_on(response.text) == {
        "Chat with thinking": ["gemini-2.5-flash"],
        "Chat": ["gemini-2.0-flash"],
    }
    assert "2 of 6 models match" in response.text


def test_it_matches_every_word_against_id_family_and_capabilities(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    by_capability = signed_in.get("/models/", {"q": "thinking"})
    two_words = signed_in.get("/models/", {"q": "gemini embeddings"})

    assert groups_on(by_capability.text) == {"Chat with thinking": ["gemini-2.5-flash"]}
    assert groups_on(two_words.text) == {"Embeddings": ["gemini-embedding-001"]}


def test_it_says_when_nothing_matches(signed_in: Client, upstream: FakeUpstream) -> None:
    response = signed_in.get("/models/", {"q": "llama"})

    assert groups_on(response.text) == {}
    assert "No model matches “llama”." in response.text


def test_it_answers_an_htmx_filter_with_the_results_fragment_only(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    response = signed_in.get("/models/", {"q": "embedding"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="results"')
    assert groups_on(response.text) == {"Embeddings": ["gemini-embedding-001"]}
    assert "HX-Request" in response.headers["Vary"]


def test_it_serves_the_whole_page_when_htmx_restores_history(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    response = signed_in.get(
        "/models/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.text


def test_it_asks_the_endpoint_once_while_the_list_is_cached(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    signed_in.get("/models/")
    signed_in.get("/models/", {"q": "flash"})
    signed_in.get("/models/", {"q": "pro"}, headers={"HX-Request": "true"})

    assert upstream.list_calls == ["emulator"]


def test_it_asks_again_once_the_cache_time_is_up(
    signed_in: Client, upstream: FakeUpstream, settings
) -> None:
    settings.MODEL_LIST_CACHE_SECONDS = 0  # Django's cache keeps nothing for 0 seconds

    signed_in.get("/models/")
    signed_in.get("/models/")

    assert upstream.list_calls == ["emulator", "emulator"]


def test_it_caches_each_provider_on_its_own(
    signed_in: Client, upstream: FakeUpstream, settings
) -> None:
    signed_in.get("/models/")
    settings.GEMINI_API_KEY = "a-key"
    gemini_page = signed_in.get("/models/")
    signed_in.get("/models/")

    assert upstream.list_calls == ["emulator", "gemini"]
    # Both are configured now, each with its own section.
    assert 'id="provider-gemini"' in gemini_page.text
    assert 'id="provider-emulator"' in gemini_page.text


def test_the_refresh_button_forgets_the_cached_list(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    signed_in.get("/models/")
    upstream.models = upstream.models[:1]

    refreshed = signed_in.post("/models/", {"q": "flash"})
    page = signed_in.get(refreshed.url)

    assert refreshed.status_code == 302
    assert refreshed.url == "/models/?q=flash"
    assert upstream.list_calls == ["emulator", "emulator"]
    assert groups_on(page.text) == {"Chat with thinking": ["gemini-2.5-flash"]}


def test_the_refresh_button_needs_the_csrf_token(django_user_model, upstream: FakeUpstream) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.create_user("ada", password=None))
    page = browser.get("/models/")
    token = page.context["csrf_token"]

    forged = browser.post("/models/")
    genuine = browser.post("/models/", {"csrfmiddlewaretoken": token})

    assert 'name="csrfmiddlewaretoken"' in page.text
    assert forged.status_code == 403
    assert genuine.status_code == 302


def test_refresh_1_in_the_address_forgets_the_cached_list(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    signed_in.get("/models/")

    response = signed_in.get("/models/", {"refresh": "1"}, follow=True)

    assert response.redirect_chain == [("/models/", 302)]
    assert upstream.list_calls == ["emulator", "emulator"]


def test_it_shows_an_unreachable_endpoint_on_the_page(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    upstream.error = UpstreamError(
        "Could not reach the model endpoint (All connection attempts failed).", kind="connection"
    )

    response = signed_in.get("/models/")

    assert response.status_code == 502
    assert "Emulator could not be reached" in response.text
    assert "Could not reach the model endpoint (All connection attempts failed)." in response.text
    assert 'role="alert"' in response.text


def test_it_shows_geminis_own_error_inside_the_htmx_fragment(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    upstream.error = UpstreamError(
        "API key not valid. Please pass a valid API key.",
        status_code=400,
        gemini_status="INVALID_ARGUMENT",
    )

    response = signed_in.get("/models/", {"q": "x"}, headers={"HX-Request": "true"})

    # htmx only swaps 2xx answers, and the error is what the person needs to see.
    assert response.status_code == 200
    assert "Emulator answered with an error" in response.text
    assert "HTTP 400 · INVALID_ARGUMENT" in response.text
    assert "API key not valid. Please pass a valid API key." in response.text


def test_it_does_not_remember_a_failure(signed_in: Client, upstream: FakeUpstream) -> None:
    upstream.error = UpstreamError("Could not reach the model endpoint.", kind="connection")
    failed = signed_in.get("/models/")
    upstream.error = None

    recovered = signed_in.get("/models/")

    assert failed.status_code == 502
    assert recovered.status_code == 200
    assert "gemini-2.5-flash" in recovered.text


def test_it_escapes_what_the_endpoint_says(signed_in: Client, upstream: FakeUpstream) -> None:
    upstream.error = UpstreamError("<script>alert(1)</script>", status_code=500)

    response = signed_in.get("/models/")

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_it_sends_anonymous_visitors_to_sign_in(client: Client, upstream: FakeUpstream) -> None:
    response = client.get("/models/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert upstream.list_calls == []


async def test_a_process_keeps_the_model_ids_a_moment_and_forgets_them_on_refresh(
    upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache

    from playground.catalog import selectors
    from playground.catalog.services import model_listing_forget
    from playground.llm import CHAT, active_provider

    reads: list[str] = []
    real_aget = cache.aget

    async def counted_aget(key: str, *args: object, **kwargs: object) -> object:
        reads.append(key)
        return await real_aget(key, *args, **kwargs)

    monkeypatch.setattr(cache, "aget", counted_aget)
    first = await selectors.model_ids(capability=CHAT)
    reads_for_first = len(reads)
    # Every message a socket validates asks again: no trip to the shared cache each time.
    assert await selectors.model_ids(capability=CHAT) == first
    assert len(reads) == reads_for_first and upstream.list_calls == ["emulator"]

    upstream.models = upstream.models[:1]
    await model_listing_forget(provider=active_provider())
    assert await selectors.model_ids(capability=CHAT) == ["gemini-2.5-flash"]
    # ...and after a few seconds the shared cache (every worker's) is read again.
    for key, (_, ids) in list(selectors._recent.items()):
        selectors._recent[key] = (0.0, ids)  # kept RECENT_SECONDS ago
    reads.clear()
    await selectors.model_ids(capability=CHAT)
    assert reads, "read from the shared cache again"
