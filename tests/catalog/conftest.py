from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from playground.catalog import selectors, views
from playground.llm.errors import UpstreamError
from playground.llm.models_api import RemoteModel
from playground.llm.providers import Provider


def remote(model_id: str, **extra: object) -> RemoteModel:
    raw = {"id": model_id, "object": "model", "owned_by": "google", **extra}
    return RemoteModel.from_api(raw)


LISTED = [
    remote("models/gemini-2.5-flash", created=1750118400),
    remote("models/gemini-2.0-flash"),
    remote("models/gemini-3-pro-image-preview"),
    remote("models/veo-3.1-generate-preview"),
    remote("models/gemini-embedding-001"),
    remote("models/aqa"),
]


@dataclass
class FakeUpstream:
    """Stands in for the endpoint: what it lists, what it fails with, who asked."""

    models: list[RemoteModel] = field(default_factory=lambda: list(LISTED))
    error: UpstreamError | None = None
    hang: bool = False  # accepts the request and answers nothing until its timeout
    list_calls: list[str] = field(default_factory=list)
    retrieve_calls: list[str] = field(default_factory=list)

    async def list_models(self, provider: Provider) -> list[RemoteModel]:
        self.list_calls.append(provider.name)
        if self.hang:
            await asyncio.sleep(3)
            raise UpstreamError("The model endpoint did not answer in time.", kind="timeout")
        if self.error:
            raise self.error
        return self.models

    async def retrieve_model(self, provider: Provider, model_id: str) -> RemoteModel:
        self.retrieve_calls.append(model_id)
        if self.error:
            raise self.error
        bare = model_id.removeprefix("models/")
        for model in self.models:
            if model.bare_id == bare:
                return model
        raise UpstreamError(
            f"models/{bare} is not found for API version v1main, or is not supported for "
            "generateContent. Call ListModels to see the list of available models.",
            status_code=404,
            gemini_status="NOT_FOUND",
        )


@pytest.fixture
def upstream(monkeypatch: pytest.MonkeyPatch) -> FakeUpstream:
    fake = FakeUpstream()
    monkeypatch.setattr(selectors, "list_models", fake.list_models)
    monkeypatch.setattr(views, "retrieve_model", fake.retrieve_model)
    return fake
