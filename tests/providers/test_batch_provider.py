"""Batches with several providers: only gemini-flavoured ones are offered (they go through
Gemini's Files API), a file built with one provider's models is submitted to it, and the job
keeps it and prints its address and key variable in Get code."""

from __future__ import annotations

import html
import json

import pytest
from django.test import Client

from playground.batches import services
from playground.batches.models import BatchJob
from playground.catalog import selectors
from playground.llm.errors import UpstreamError
from playground.llm.models_api import RemoteModel
from playground.llm.providers import Provider
from tests.providers.conftest import PROXY_URL

pytestmark = pytest.mark.django_db

LINE = json.dumps({
    "custom_id": "1", "method": "POST", "url": "/v1/chat/completions",
    "body": {"model": "gemini-2.5-flash", "messages": [{"role": "user", "content": "hi"}]},
})  # fmt: skip


def test_both_pickers_offer_only_gemini_providers_and_the_page_says_why(
    ada: Client, three_providers
) -> None:
    page = ada.get("/batches/").text

    for name in ('id="id_submit_provider"', 'id="id_provider"'):
        picker = page.split(name)[1].split("</select>")[0]
        assert '<option value="proxy">Proxy</option>' in picker and "Local" not in picker
    assert "Batches go through Gemini's Files API" in html.unescape(page)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[Provider]:
    """Each provider a batch is submitted to (the submission itself goes nowhere)."""
    submitted: list[Provider] = []

    async def submit(provider: Provider, *args: object) -> tuple[str, UpstreamError]:
        submitted.append(provider)
        return "files/x", UpstreamError("Not today.", kind="http")

    monkeypatch.setattr(services, "_submit", submit)
    return submitted


def test_a_file_built_with_a_providers_models_is_submitted_to_it(
    ada: Client, three_providers, sent: list[Provider]
) -> None:
    built = ada.post("/batches/", {
        "action": "build", "provider": "proxy", "build_endpoint": "/v1/chat/completions",
        "model": "gemini-2.5-flash", "template": "Say {input}", "inputs": "hi",
    }).text  # fmt: skip
    ada.post("/batches/", {"action": "submit", "provider": "proxy",
                           "endpoint": "/v1/chat/completions", "jsonl_text": LINE})  # fmt: skip

    job = BatchJob.objects.get()
    page = html.unescape(ada.get(f"/batches/{job.pk}/").text)
    submit_picker = built.split('id="id_submit_provider"')[1].split("</select>")[0]
    assert '<option value="proxy" selected>Proxy</option>' in submit_picker
    assert [provider.name for provider in sent] == ["proxy"]
    assert (job.provider_name, job.base_url) == ("proxy", PROXY_URL)
    assert "<dt>Provider</dt><dd>Proxy</dd>" in page
    assert "http://127.0.0.1:9/proxy/" in page and "PROXY_KEY" in page


def test_an_openai_provider_is_refused_with_nothing_stored(ada: Client, three_providers) -> None:
    data = {"provider": "local", "endpoint": "/v1/chat/completions", "jsonl_text": LINE}
    response = ada.post("/batches/", {"action": "submit", **data})

    assert response.status_code == 400
    assert "“local” is not a provider offered here" in html.unescape(response.text)
    assert not BatchJob.objects.exists()


def _lines(*models: str, url: str = "/v1/chat/completions") -> str:
    body = {"messages": [{"role": "user", "content": "hi"}], "input": "hi"}
    return "\n".join(
        json.dumps(
            {"custom_id": str(n), "method": "POST", "url": url, "body": {"model": model, **body}}
        )
        for n, model in enumerate(models, start=1)
    )


EMULATOR_LISTS = ["gemini-2.5-flash", "gemini-embedding-001"]


def _listed(monkeypatch: pytest.MonkeyPatch, *, proxy_down: bool = False) -> None:
    """The emulator lists a chat and an embedding model; the proxy only gemini-2.5-pro."""

    async def list_models(provider: Provider) -> list[RemoteModel]:
        if provider.name == "proxy" and proxy_down:
            raise UpstreamError("Could not reach the model endpoint.", kind="connection")
        ids = ["gemini-2.5-pro"] if provider.name == "proxy" else EMULATOR_LISTS
        return [RemoteModel.from_api({"id": f"models/{model_id}"}) for model_id in ids]

    monkeypatch.setattr(selectors, "list_models", list_models)


def _submit_lines(client: Client, provider: str, text: str, endpoint: str = "/v1/chat/completions"):
    data = {"action": "submit", "provider": provider, "endpoint": endpoint, "jsonl_text": text}
    return client.post("/batches/", data)


def test_lines_for_a_model_the_picked_provider_does_not_list_are_refused(
    ada: Client, three_providers, monkeypatch: pytest.MonkeyPatch, sent: list[Provider]
) -> None:
    _listed(monkeypatch)
    models = ["gemini-2.5-pro", *["gemini-2.5-flash"] * 7, "models/gemini-3-pro-preview"]
    response = _submit_lines(ada, "proxy", _lines(*models))

    page = html.unescape(response.text)
    assert response.status_code == 400
    assert (
        "Lines 2, 3, 4, 5, 6 and 2 more ask for gemini-2.5-flash, which is not a chat model of "
        "Proxy: nothing was sent." in page
    )
    assert "Line 9 asks for models/gemini-3-pro-preview, which is not a chat model" in page
    assert not BatchJob.objects.exists() and sent == []


def test_a_chat_batch_refuses_an_embedding_model_the_provider_lists(
    ada: Client, three_providers, monkeypatch: pytest.MonkeyPatch, sent: list[Provider]
) -> None:
    _listed(monkeypatch)
    chat = _submit_lines(ada, "emulator", _lines("gemini-2.5-flash", "gemini-embedding-001"))
    embeddings = _submit_lines(
        ada, "emulator", _lines("gemini-embedding-001", url="/v1/embeddings"), "/v1/embeddings"
    )

    assert chat.status_code == 400
    assert "Line 2 asks for gemini-embedding-001, which is not a chat model of Emulator" in (
        html.unescape(chat.text)
    )
    assert embeddings.status_code == 302
    assert [provider.name for provider in sent] == ["emulator"]


def test_a_file_built_with_a_model_for_the_other_endpoint_is_refused_before_it_is_sent(
    ada: Client, three_providers, monkeypatch: pytest.MonkeyPatch
) -> None:
    _listed(monkeypatch)
    built = ada.post("/batches/", {
        "action": "build", "provider": "emulator", "build_endpoint": "/v1/chat/completions",
        "model": "gemini-embedding-001", "template": "Say {input}", "inputs": "hi\nho",
    })  # fmt: skip

    assert built.status_code == 400
    assert "Lines 1 and 2 ask for gemini-embedding-001" in html.unescape(built.text)
    assert 'id="check-result"' not in built.text


def test_an_unreachable_provider_s_lines_go_to_the_endpoint_as_before(
    ada: Client, three_providers, monkeypatch: pytest.MonkeyPatch, sent: list[Provider]
) -> None:
    _listed(monkeypatch, proxy_down=True)
    page = ada.get("/batches/", {"provider": "proxy"}).text
    lines = _lines("gemini-2.5-flash", "gemini-9-ultra")
    listing = _submit_lines(ada, "emulator", lines)
    response = _submit_lines(ada, "proxy", lines)

    assert 'id="provider-unreachable"' in page
    assert listing.status_code == 400  # the emulator's list was had: its check holds
    assert response.status_code == 302
    assert BatchJob.objects.get().provider_name == "proxy"
    assert [provider.name for provider in sent] == ["proxy"]
