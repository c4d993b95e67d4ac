from __future__ import annotations

import json
from collections.abc import Callable

import httpx2
import pytest
from openai import AsyncOpenAI

from playground.llm import models_api
from playground.llm.errors import UpstreamError
from playground.llm.models_api import RemoteModel, list_models, retrieve_model
from playground.llm.providers import Provider

PROVIDER = Provider("gemini", "Gemini", "https://gemini.test/v1beta/openai/")
Handler = Callable[[httpx2.Request], httpx2.Response]


@pytest.fixture
def upstream(monkeypatch: pytest.MonkeyPatch) -> Callable[[Handler], list[httpx2.Request]]:
    """Answers the SDK's requests with `handler`; returns the requests it saw."""

    def install(handler: Handler) -> list[httpx2.Request]:
        seen: list[httpx2.Request] = []

        def record(request: httpx2.Request) -> httpx2.Response:
            seen.append(request)
            return handler(request)

        client = AsyncOpenAI(
            api_key="test-key",
            base_url=PROVIDER.base_url,
            max_retries=0,
            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(record)),
        )
        monkeypatch.setattr(models_api, "client_for", lambda provider: client)
        return seen

    return install


def gemini_json(status: int, body: object) -> httpx2.Response:
    return httpx2.Response(
        status, content=json.dumps(body), headers={"content-type": "application/json"}
    )


NOT_FOUND = [
    {
        "error": {
            "code": 404,
            "message": "models/gemini-9 is not found for API version v1main, or is not "
            "supported for generateContent.",
            "status": "NOT_FOUND",
        }
    }
]


async def test_it_lists_models_with_every_field_the_endpoint_sent(upstream) -> None:
    seen = upstream(
        lambda request: gemini_json(
            200,
            {
                "object": "list",
                "data": [
                    {
                        "id": "models/gemini-2.5-flash",
                        "object": "model",
                        "owned_by": "google",
                        "created": 1750118400,
                        "display_name": "Gemini 2.5 Flash",
                    },
                    {"id": "models/gemini-embedding-001", "object": "model", "owned_by": "google"},
                ],
            },
        )
    )

    models = await list_models(PROVIDER)

    assert seen[0].method == "GET"
    assert seen[0].url.path == "/v1beta/openai/models"
    assert [model.id for model in models] == [
        "models/gemini-2.5-flash",
        "models/gemini-embedding-001",
    ]
    flash, embedding = models
    assert flash.bare_id == "gemini-2.5-flash"
    assert flash.owned_by == "google"
    assert flash.created == 1750118400
    assert flash.raw["display_name"] == "Gemini 2.5 Flash"
    assert embedding.created is None
    assert "created" not in embedding.raw


async def test_it_retrieves_a_model_named_with_or_without_its_prefix(upstream) -> None:
    seen = upstream(
        lambda request: gemini_json(
            200,
            {"id": "models/gemini-2.5-pro", "object": "model", "owned_by": "google", "x": 1},
        )
    )

    prefixed = await retrieve_model(PROVIDER, "models/gemini-2.5-pro")
    bare = await retrieve_model(PROVIDER, "gemini-2.5-pro")

    assert prefixed == bare == RemoteModel(id="models/gemini-2.5-pro", owned_by="google")
    assert prefixed.raw == {
        "id": "models/gemini-2.5-pro",
        "object": "model",
        "owned_by": "google",
        "x": 1,
    }
    assert [request.url.raw_path.decode() for request in seen] == [
        "/v1beta/openai/models/models%2Fgemini-2.5-pro",
        "/v1beta/openai/models/gemini-2.5-pro",
    ]


async def test_it_reports_an_unknown_model_with_geminis_own_message(upstream) -> None:
    upstream(lambda request: gemini_json(404, NOT_FOUND))

    with pytest.raises(UpstreamError) as caught:
        await retrieve_model(PROVIDER, "models/gemini-9")

    assert caught.value.status_code == 404
    assert caught.value.gemini_status == "NOT_FOUND"
    assert caught.value.message.startswith("models/gemini-9 is not found for API version")


async def test_it_reports_a_bad_key_when_listing(upstream) -> None:
    upstream(
        lambda request: gemini_json(
            400,
            [
                {
                    "error": {
                        "code": 400,
                        "message": "API key not valid. Please pass a valid API key.",
                        "status": "INVALID_ARGUMENT",
                    }
                }
            ],
        )
    )

    with pytest.raises(UpstreamError) as caught:
        await list_models(PROVIDER)

    assert caught.value.status_code == 400
    assert caught.value.message == "API key not valid. Please pass a valid API key."


async def test_it_reports_an_unreachable_endpoint(upstream) -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("Connection refused", request=request)

    upstream(refuse)

    with pytest.raises(UpstreamError) as caught:
        await list_models(PROVIDER)

    assert caught.value.kind == "connection"
    assert caught.value.status_code is None
    assert "Connection refused" in caught.value.message


async def test_it_reports_a_model_list_it_cannot_read(upstream) -> None:
    upstream(lambda request: gemini_json(200, {"object": "list", "data": [{"object": "model"}]}))

    with pytest.raises(UpstreamError) as caught:
        await list_models(PROVIDER)

    assert caught.value.kind == "malformed"
    assert "without an id" in caught.value.message


async def test_it_refuses_a_dotted_model_id_without_calling_the_endpoint(upstream) -> None:
    seen = upstream(lambda request: gemini_json(200, {}))

    with pytest.raises(UpstreamError) as caught:
        await retrieve_model(PROVIDER, "models/../files")

    assert caught.value.status_code == 400
    assert seen == []
