"""`POST /embeddings`: Gemini's OpenAI-compatible embeddings, with made-up but stable vectors.

gemini-embedding-001 and gemini-embedding-2-preview both answer with 3,072 numbers (the size
Google documents for both); `dimensions` keeps a shorter prefix (Matryoshka). The openai SDK
asks for `encoding_format: "base64"` unless told otherwise, so both formats are served.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from playground.emulator.access import emulator_endpoint
from playground.emulator.embedding_vectors import (
    embedding_vector,
    vector_base64,
    vector_floats,
)
from playground.emulator.errors import (
    GeminiError,
    invalid_argument,
    invalid_value,
    json_response,
    unknown_field,
)
from playground.emulator.json_body import body_json
from playground.emulator.known_models import KnownModel, bare_model_id, model_find
from playground.emulator.pace import pace_for
from playground.emulator.recording import request_record
from playground.emulator.tokens import count_tokens
from playground.emulator.views import request_bytes

ACCEPTED_FIELDS = frozenset({"model", "input", "encoding_format", "dimensions"})
ENCODING_FORMATS = ("float", "base64")
# Gemini's batchEmbedContents limit, which the compatible endpoint sits on.
MAX_INPUTS = 100
MODEL_DIMENSIONS = {
    "gemini-embedding-001": 3072,
    "gemini-embedding-2-preview": 3072,
    "text-embedding-3-small": 1536,
}
DEFAULT_DIMENSIONS = 3072


@dataclass(frozen=True, slots=True)
class EmbeddingRequest:
    model_given: str
    model: KnownModel
    texts: tuple[str, ...]
    size: int
    dimensions: int | None
    encoding_format: str


def not_an_embedding_model(given: str) -> GeminiError:
    return GeminiError(
        404,
        f"models/{bare_model_id(given)} is not found for API version v1main, or is not supported "
        "for embedContent. Call ModelService.ListModels to see the list of available models "
        "and their supported methods.",
    )


def _embedding_model(body: dict[str, Any]) -> tuple[str, KnownModel]:
    given = body.get("model")
    if not isinstance(given, str) or not given.strip():
        raise invalid_argument("model is required: name a model, e.g. gemini-embedding-001.")
    model = model_find(given)
    if model is None or model.kind != "embedding":
        raise not_an_embedding_model(given)
    return given, model


def _texts(value: Any) -> tuple[str, ...]:
    texts = [value] if isinstance(value, str) else value
    if value is None or texts == []:
        raise invalid_argument("* BatchEmbedContentsRequest.requests: input is required.")
    if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
        # Token arrays are an OpenAI feature; Gemini embeds text only.
        raise invalid_value("input", "TYPE_STRING", value)
    if len(texts) > MAX_INPUTS:
        raise invalid_argument(
            "* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch."
        )
    for index, text in enumerate(texts):
        if not text.strip():
            raise invalid_argument(
                f"* BatchEmbedContentsRequest.requests[{index}].content.parts: "
                "contents.parts must not be empty."
            )
    return tuple(texts)


def _dimensions(value: Any, size: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_value("dimensions", "TYPE_INT32", value)
    if not 1 <= value <= size:
        raise invalid_argument(f"Invalid dimensions: {value}. It must be between 1 and {size}.")
    return value


def _encoding_format(value: Any) -> str:
    if value is None:
        return "float"
    if value not in ENCODING_FORMATS:
        raise invalid_argument(
            f"Invalid encoding_format: {value}. Valid values are: {', '.join(ENCODING_FORMATS)}"
        )
    return value


def embedding_request_parse(body: Any) -> EmbeddingRequest:
    """Raises GeminiError for anything Gemini would refuse."""
    if not isinstance(body, dict):
        raise invalid_argument("Invalid JSON payload received. Root element must be a message.")
    for name in body:
        if name not in ACCEPTED_FIELDS:
            raise unknown_field(name)
    model_given, model = _embedding_model(body)
    size = MODEL_DIMENSIONS.get(model.id, DEFAULT_DIMENSIONS)
    return EmbeddingRequest(
        model_given=model_given,
        model=model,
        texts=_texts(body.get("input")),
        size=size,
        dimensions=_dimensions(body.get("dimensions"), size),
        encoding_format=_encoding_format(body.get("encoding_format")),
    )


def embedding_response_body(request: EmbeddingRequest) -> dict[str, Any]:
    data = []
    for index, text in enumerate(request.texts):
        vector = embedding_vector(text, size=request.size, dimensions=request.dimensions)
        encoded: Any = (
            vector_base64(vector) if request.encoding_format == "base64" else vector_floats(vector)
        )
        data.append({"embedding": encoded, "index": index, "object": "embedding"})
    tokens = sum(count_tokens(text) for text in request.texts)
    return {
        "data": data,
        "model": request.model_given,
        "object": "list",
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


@emulator_endpoint(methods=("POST",))
async def embeddings_create(request: HttpRequest) -> HttpResponse:
    raw = request_bytes(request)
    request_record(request.path, raw)
    embedding = embedding_request_parse(body_json(raw))
    await asyncio.sleep(pace_for(None).first_token_seconds)
    return json_response(embedding_response_body(embedding))
