"""Images and embeddings with two providers: the picker, the request going to the provider
picked (without Gemini's extras for an OpenAI-compatible one), the provider saved, restored
and printed by Get code, and bad choices refused with nothing stored."""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from PIL import Image

from playground.catalog import selectors
from playground.embeddings.models import EmbeddingRun
from playground.images.models import GeneratedImage, ImageGeneration
from playground.llm import embeddings as llm_embeddings
from playground.llm import images as llm_images
from playground.llm.errors import UpstreamError
from playground.llm.models_api import RemoteModel
from playground.llm.providers import Provider
from tests.providers.conftest import OPENAI_URL, requests_answered

pytestmark = pytest.mark.django_db

GEMINI_IDS = ["models/gemini-2.5-flash-image", "models/gemini-embedding-001"]
OPENAI_IDS = ["gpt-4o-mini", "gpt-image-1", "text-embedding-3-small"]


def listed(down: tuple[str, ...] = ()) -> Callable:
    async def list_models(provider: Provider) -> list[RemoteModel]:
        if provider.name in down:
            raise UpstreamError("Could not reach the model endpoint.", kind="connection")
        ids = OPENAI_IDS if provider.name == "local" else GEMINI_IDS
        return [RemoteModel.from_api({"id": model_id}) for model_id in ids]

    return list_models


@pytest.fixture
def both_up(monkeypatch: pytest.MonkeyPatch, two_providers, media_root: Path) -> None:
    monkeypatch.setattr(selectors, "list_models", listed())


@pytest.fixture
def local_down(monkeypatch: pytest.MonkeyPatch, two_providers) -> None:
    monkeypatch.setattr(selectors, "list_models", listed(down=("local",)))


def _png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def _answer(request: httpx2.Request) -> httpx2.Response:
    body = json.loads(request.content)
    if request.url.path.endswith("/images/generations"):
        return httpx2.Response(200, json={"created": 1, "data": [{"b64_json": _png()}]})
    data = [
        {"object": "embedding", "index": i, "embedding": [1.0, float(i), 0.5]}
        for i in range(len(body["input"]))
    ]
    usage = {"prompt_tokens": 3, "total_tokens": 3}
    return httpx2.Response(200, json={"data": data, "model": body["model"], "usage": usage})


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[httpx2.Request]:
    """Every request the pages send, answered at the address of the provider it went to."""
    return requests_answered(monkeypatch, (llm_images, llm_embeddings), _answer)


def _get_code(page: str) -> str:
    """The Get code panel of a page, unescaped."""
    return html.unescape(page[page.index('id="get-code"') :])


def _options(page: str, name: str) -> str:
    return page.split(f'name="{name}"')[1].split("</select>")[0]


def test_the_images_page_offers_each_providers_image_models(ada: Client, both_up) -> None:
    page = ada.get("/images/").text
    fragment = ada.get(
        reverse("catalog:provider_models"),
        {"provider": "local", "capability": "image_generation", "extras_note": "1"},
    ).text

    assert '<option value="local">Local</option>' in _options(page, "provider")
    assert "gemini-2.5-flash-image" in _options(page, "model")
    assert "gpt-image-1" in fragment and "gpt-4o-mini" not in fragment
    assert "gemini" not in fragment.split("<p")[0]
    assert 'id="extras-not-sent"' in fragment and "not sent to Local" in fragment


def test_an_image_goes_to_the_provider_picked_without_geminis_extras(
    ada: Client, both_up, sent: list[httpx2.Request]
) -> None:
    response = ada.post("/images/", {
        "provider": "local", "model": "gpt-image-1", "prompt": "a teal square", "n": 1,
        "response_format": "b64_json", "aspect_ratio": "16:9",
        "safety_settings": '[{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "OFF"}]',
    })  # fmt: skip

    generation = ImageGeneration.objects.get()
    assert response.status_code == 302
    assert str(sent[0].url) == OPENAI_URL + "images/generations"
    assert "extra_body" not in json.loads(sent[0].content)
    assert generation.provider == "local" and generation.request["provider"] == "local"
    assert generation.request["aspect_ratio"] is None
    assert "Local · " in ada.get("/images/").text


def test_again_and_get_code_keep_the_images_provider(
    ada: Client, both_up, sent: list[httpx2.Request], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCAL_KEY", "sk-secret-never-shown-1234567890")
    ada.post("/images/", {"provider": "local", "model": "gpt-image-1", "prompt": "x", "n": 1,
                          "response_format": "b64_json"})  # fmt: skip
    generation = ImageGeneration.objects.get()
    image = GeneratedImage.objects.get()

    again = ada.get("/images/", {"again": generation.pk}).text
    detail = _get_code(ada.get(reverse("images:detail", args=[image.pk])).text)

    assert '<option value="local" selected>Local</option>' in again
    assert '<option value="gpt-image-1" selected>' in again
    assert f'base_url="{OPENAI_URL}"' in detail and "Bearer $LOCAL_KEY" in detail
    assert 'os.environ["LOCAL_KEY"]' in detail
    assert "GEMINI_API_KEY" not in detail and "sk-secret" not in detail


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"provider": "elsewhere", "model": "gpt-image-1"},
            "“elsewhere” is not a provider offered here",
        ),
        (
            {"provider": "local", "model": "gemini-2.5-flash-image"},
            "gemini-2.5-flash-image is not an image model of this provider",
        ),
    ],
)
def test_an_unknown_provider_or_another_providers_model_is_refused(
    ada: Client, both_up, sent: list[httpx2.Request], fields: dict, message: str
) -> None:
    response = ada.post("/images/", {"prompt": "x", "n": 1, "response_format": "b64_json",
                                     **fields})  # fmt: skip

    assert response.status_code == 400
    assert message in html.unescape(response.text)
    assert not ImageGeneration.objects.exists() and sent == []


def test_an_unreachable_provider_says_so_and_leaves_the_pages_working(
    ada: Client, local_down
) -> None:
    images = ada.get("/images/", {"provider": "local"})
    embeddings = ada.get("/embeddings/")

    assert images.status_code == embeddings.status_code == 200
    assert '<option value="local" selected>Local (unreachable)</option>' in images.text
    assert 'id="provider-unreachable"' in images.text
    assert '<option value="local">Local (unreachable)</option>' in embeddings.text
    assert "gemini-embedding-001" in _options(embeddings.text, "model")


def _embed_with_local(client: Client, model: str) -> HttpResponse:
    return client.post("/embeddings/", {"provider": "local", "model": model, "texts": "a\nb"})


def test_embeddings_go_to_the_provider_picked_and_the_run_keeps_it(
    ada: Client, both_up, sent: list[httpx2.Request]
) -> None:
    response = _embed_with_local(ada, "text-embedding-3-small")

    run = EmbeddingRun.objects.get()
    page = html.unescape(ada.get(response.url).text)
    code = _get_code(page)
    assert str(sent[0].url) == OPENAI_URL + "embeddings"
    assert (run.provider_name, run.base_url) == ("local", OPENAI_URL)
    assert '<option value="local" selected>Local</option>' in page
    assert '<option value="text-embedding-3-small" selected>' in page
    assert f'base_url="{OPENAI_URL}"' in code and "process.env.LOCAL_KEY" in code
    assert "GEMINI_API_KEY" not in code


def test_embeddings_refuse_a_model_the_provider_does_not_list(
    ada: Client, both_up, sent: list[httpx2.Request]
) -> None:
    response = _embed_with_local(ada, "gemini-embedding-001")

    assert response.status_code == 400
    assert "not an embedding model of this provider" in response.text
    assert not EmbeddingRun.objects.exists() and sent == []
