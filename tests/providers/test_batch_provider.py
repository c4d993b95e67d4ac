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
from playground.llm.errors import UpstreamError
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


def test_a_file_built_with_a_providers_models_is_submitted_to_it(
    ada: Client, three_providers, monkeypatch: pytest.MonkeyPatch
) -> None:
    submitted: list[Provider] = []

    async def submit(provider: Provider, *args: object) -> tuple[str, UpstreamError]:
        submitted.append(provider)
        return "files/x", UpstreamError("Not today.", kind="http")

    monkeypatch.setattr(services, "_submit", submit)
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
    assert [provider.name for provider in submitted] == ["proxy"]
    assert (job.provider_name, job.base_url) == ("proxy", PROXY_URL)
    assert "<dt>Provider</dt><dd>Proxy</dd>" in page
    assert "http://127.0.0.1:9/proxy/" in page and "PROXY_KEY" in page


def test_an_openai_provider_is_refused_with_nothing_stored(ada: Client, three_providers) -> None:
    data = {"provider": "local", "endpoint": "/v1/chat/completions", "jsonl_text": LINE}
    response = ada.post("/batches/", {"action": "submit", **data})

    assert response.status_code == 400
    assert "“local” is not a provider offered here" in html.unescape(response.text)
    assert not BatchJob.objects.exists()
