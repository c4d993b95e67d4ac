"""embed_texts: what goes out, what is accepted back, and what is refused as malformed."""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Callable

import httpx2
import pytest
from openai import AsyncOpenAI

from playground.llm import embeddings
from playground.llm.embeddings import EmbeddingSpec, embed_texts
from playground.llm.errors import UpstreamError
from playground.llm.providers import Provider

PROVIDER = Provider("gemini", "Gemini", "https://gemini.test/v1beta/openai/")
Handler = Callable[[httpx2.Request], httpx2.Response]


@pytest.fixture
def upstream(monkeypatch: pytest.MonkeyPatch) -> Callable[[Handler], list[dict]]:
    def install(handler: Handler) -> list[dict]:
        sent: list[dict] = []

        def record(request: httpx2.Request) -> httpx2.Response:
            sent.append(json.loads(request.content))
            return handler(request)

        client = AsyncOpenAI(
            api_key="k",
            base_url=PROVIDER.base_url,
            max_retries=0,
            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(record)),
        )
        monkeypatch.setattr(embeddings, "client_for", lambda provider: client)
        return sent

    return install


def reply(vectors: list, **extra: object) -> Handler:
    data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
    body = {"object": "list", "data": data, "model": "gemini-embedding-001", **extra}
    return lambda request: httpx2.Response(200, json=body)


def packed(values: list[float]) -> str:
    return base64.b64encode(struct.pack(f"<{len(values)}f", *values)).decode()


async def test_it_sends_the_texts_and_reads_base64_as_the_sdk_asks(upstream) -> None:
    sent = upstream(reply([packed([0.5, -0.25]), packed([1.0, 0.0])]))

    result = await embed_texts(PROVIDER, EmbeddingSpec("gemini-embedding-001", ("a", "b"), 768))

    assert sent == [
        {"model": "gemini-embedding-001", "input": ["a", "b"], "dimensions": 768,
         "encoding_format": "base64"}
    ]  # fmt: skip
    assert result.vectors == ((0.5, -0.25), (1.0, 0.0))
    assert result.size == 2


async def test_it_accepts_floats_out_of_order(upstream) -> None:
    body = {
        "object": "list",
        "model": "m",
        "data": [
            {"object": "embedding", "index": 1, "embedding": [2.0]},
            {"object": "embedding", "index": 0, "embedding": [1.0]},
        ],
        "usage": {"prompt_tokens": 4, "total_tokens": 4},
    }
    upstream(lambda request: httpx2.Response(200, json=body))

    result = await embed_texts(PROVIDER, EmbeddingSpec("m", ("first", "second")))

    assert result.vectors == ((1.0,), (2.0,))
    assert result.prompt_tokens == 4


@pytest.mark.parametrize(
    ("vectors", "words"),
    [
        ([[0.1, 0.2]], "Asked for 2 embeddings, got 1"),
        ([[0.1, 0.2], [0.1]], "differ in length"),
        ([[0.1, 0.2], []], "missing or empty"),
    ],
)
async def test_it_refuses_a_reply_it_cannot_use(upstream, vectors: list, words: str) -> None:
    upstream(reply(vectors))

    with pytest.raises(UpstreamError) as raised:
        await embed_texts(PROVIDER, EmbeddingSpec("m", ("a", "b"), None))

    assert raised.value.kind == "malformed"
    assert words in raised.value.message


async def test_a_gemini_error_keeps_its_message(upstream) -> None:
    error = [{"error": {"code": 400, "message": "Bad dims", "status": "INVALID_ARGUMENT"}}]
    upstream(lambda request: httpx2.Response(400, json=error))

    with pytest.raises(UpstreamError) as raised:
        await embed_texts(PROVIDER, EmbeddingSpec("m", ("a",), 7))

    assert (raised.value.status_code, raised.value.message) == (400, "Bad dims")
