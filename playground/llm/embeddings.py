"""Embeddings through the openai SDK (`POST /embeddings`), as Google's page shows them.

The SDK asks for base64 unless told otherwise and decodes it itself; a server that answers
with plain floats is read just the same. What comes back is checked (one vector per text, all
of one length) before anyone computes a similarity from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.llm.catalog import bare_model_id
from playground.llm.client import client_for
from playground.llm.errors import UpstreamError, upstream_error_from
from playground.llm.providers import Provider

# Gemini embeds at most 100 texts per request.
MAX_TEXTS = 100


@dataclass(frozen=True, slots=True)
class EmbeddingModel:
    id: str
    size: int  # numbers per vector unless `dimensions` asks for fewer
    # Shorter sizes the model takes (a prefix of the full vector); empty: no `dimensions`.
    dimension_choices: tuple[int, ...] = ()


# What Google documents for each embedding model (both are Matryoshka-trained).
EMBEDDING_MODELS = {
    "gemini-embedding-001": EmbeddingModel(
        "gemini-embedding-001", 3072, (128, 256, 512, 768, 1536, 3072)
    ),
    "gemini-embedding-2-preview": EmbeddingModel(
        "gemini-embedding-2-preview", 3072, (128, 256, 512, 768, 1536, 3072)
    ),
}
DEFAULT_EMBEDDING_MODELS = tuple(EMBEDDING_MODELS)


def embedding_model(model_id: str) -> EmbeddingModel | None:
    return EMBEDDING_MODELS.get(bare_model_id(model_id))


@dataclass(frozen=True, slots=True)
class EmbeddingSpec:
    """One embeddings request: what is sent, and what "Get code" shows."""

    model: str
    texts: tuple[str, ...]
    dimensions: int | None = None

    def request_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"input": list(self.texts), "model": self.model}
        if self.dimensions is not None:
            body["dimensions"] = self.dimensions
        return body

    def create_kwargs(self) -> dict[str, Any]:
        return self.request_body()


@dataclass(frozen=True, slots=True)
class Embeddings:
    model: str
    vectors: tuple[tuple[float, ...], ...]
    prompt_tokens: int | None = None

    @property
    def size(self) -> int:
        return len(self.vectors[0]) if self.vectors else 0


def _vector(item: Any, position: int) -> tuple[float, ...]:
    values = getattr(item, "embedding", None)
    if not isinstance(values, list) or not values:
        raise UpstreamError(
            f"Embedding {position} is missing or empty in the reply.", kind="malformed"
        )
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        raise UpstreamError(
            f"Embedding {position} holds something other than numbers.", kind="malformed"
        )
    return tuple(float(v) for v in values)


def _reply_index(item: Any, position: int) -> int:
    index = getattr(item, "index", None)
    return index if isinstance(index, int) and not isinstance(index, bool) else position


def embeddings_from_reply(reply: Any, spec: EmbeddingSpec) -> Embeddings:
    data = getattr(reply, "data", None)
    if not isinstance(data, list) or len(data) != len(spec.texts):
        count = len(data) if isinstance(data, list) else "no"
        raise UpstreamError(
            f"Asked for {len(spec.texts)} embeddings, got {count}.", kind="malformed"
        )
    ordered = sorted(enumerate(data), key=lambda pair: _reply_index(pair[1], pair[0]))
    vectors = tuple(_vector(item, position) for position, item in ordered)
    if len({len(vector) for vector in vectors}) > 1:
        raise UpstreamError("The embeddings in the reply differ in length.", kind="malformed")
    usage = getattr(reply, "usage", None)
    tokens = getattr(usage, "prompt_tokens", None)
    return Embeddings(
        model=str(getattr(reply, "model", "") or spec.model),
        vectors=vectors,
        prompt_tokens=tokens if isinstance(tokens, int) else None,
    )


async def embed_texts(provider: Provider, spec: EmbeddingSpec) -> Embeddings:
    """One vector per text, in the order given. Raises UpstreamError."""
    if not spec.texts or len(spec.texts) > MAX_TEXTS:
        raise UpstreamError(f"Send between 1 and {MAX_TEXTS} texts.", kind="http")
    try:
        reply = await client_for(provider).embeddings.create(**spec.create_kwargs())
        return embeddings_from_reply(reply, spec)
    except Exception as exc:
        raise upstream_error_from(exc) from exc
