from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import httpx2
import pytest
from openai import AsyncOpenAI

from playground.catalog import selectors
from playground.llm.models_api import RemoteModel
from playground.llm.providers import Provider

OPENAI_URL = "http://127.0.0.1:9/v1/"
PROXY_URL = "http://127.0.0.1:9/proxy/v1beta/openai/"


@pytest.fixture
def three_providers(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The emulator, a Gemini proxy ("proxy", gemini flavour) and an OpenAI one ("local")."""
    settings.GEMINI_API_KEY = ""
    settings.EMULATOR_ENABLED = True
    settings.EXTRA_PROVIDERS = [
        {"name": "proxy", "label": "Proxy", "base_url": PROXY_URL, "flavour": "gemini",
         "api_key_env": "PROXY_KEY"},
        {"name": "local", "label": "Local", "base_url": "http://127.0.0.1:9/v1/"},
    ]  # fmt: skip

    async def list_models(provider: Provider) -> list[RemoteModel]:
        ids = ("veo-3.1-generate-preview", "gemini-2.5-flash")
        return [RemoteModel.from_api({"id": model_id}) for model_id in ids]

    monkeypatch.setattr(selectors, "list_models", list_models)


@pytest.fixture
def two_providers(settings) -> None:
    """The emulator (gemini) first, then an OpenAI-compatible endpoint named "local"."""
    settings.GEMINI_API_KEY = ""
    settings.EMULATOR_ENABLED = True
    settings.EXTRA_PROVIDERS = [
        {"name": "local", "label": "Local", "base_url": OPENAI_URL, "api_key_env": "LOCAL_KEY"}
    ]


def requests_answered(
    monkeypatch: pytest.MonkeyPatch,
    modules: tuple[ModuleType, ...],
    answer: Callable[[httpx2.Request], httpx2.Response],
) -> list[httpx2.Request]:
    """Every request `modules` send, answered by `answer` at the address of the provider it
    went to (the real openai SDK over a mock transport); the list records them."""
    requests: list[httpx2.Request] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        requests.append(request)
        return answer(request)

    def client_for(provider: Provider) -> AsyncOpenAI:
        http = httpx2.AsyncClient(transport=httpx2.MockTransport(handle))
        return AsyncOpenAI(api_key="k", base_url=provider.base_url, max_retries=0, http_client=http)

    for module in modules:
        monkeypatch.setattr(module, "client_for", client_for)
    return requests
