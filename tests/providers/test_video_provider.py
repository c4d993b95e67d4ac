"""Video with several providers: Veo is Gemini's own, so only gemini-flavoured providers are
offered (an OpenAI-compatible one is left out, and the page says why); the job goes to the
provider picked and keeps it, and its Get code names that provider's address and key."""

from __future__ import annotations

import html

import httpx2
import pytest
from django.test import Client

from playground.llm import videos as llm_videos
from playground.video.models import VideoJob
from tests.providers.conftest import PROXY_URL, requests_answered

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[httpx2.Request]:
    def queued(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={"id": "video_1", "status": "queued"})

    return requests_answered(monkeypatch, (llm_videos,), queued)


def make_video(client: Client, provider: str) -> object:
    data = {"provider": provider, "model": "veo-3.1-generate-preview", "prompt": "waves"}
    return client.post("/video/", data)


def test_only_gemini_providers_are_offered_and_the_page_says_why(
    ada: Client, three_providers
) -> None:
    page = ada.get("/video/").text

    picker = page.split('name="provider"')[1].split("</select>")[0]
    assert '<option value="proxy">Proxy</option>' in picker and "Local" not in picker
    assert 'id="only-gemini"' in page and "OpenAI-compatible providers are not offered" in page


def test_a_video_goes_to_the_provider_picked_and_keeps_it(
    ada: Client, three_providers, sent: list[httpx2.Request], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROXY_KEY", "sk-never-shown-0123456789")

    response = make_video(ada, "proxy")

    job = VideoJob.objects.get()
    page = html.unescape(ada.get("/video/").text)
    assert response.status_code == 302
    assert str(sent[0].url) == PROXY_URL + "videos"
    assert job.provider == "proxy" and job.request["provider"] == "proxy"
    assert f'base_url="{PROXY_URL}"' in page and "Bearer $PROXY_KEY" in page
    assert "sk-never-shown" not in page


def test_an_openai_provider_is_refused_for_video_with_nothing_sent(
    ada: Client, three_providers, sent: list[httpx2.Request]
) -> None:
    page = html.unescape(make_video(ada, "local").text)

    assert "“local” is not a provider offered here" in page
    assert not VideoJob.objects.exists() and sent == []
