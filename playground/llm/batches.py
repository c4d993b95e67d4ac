"""Gemini's Batch API through its OpenAI compatibility, in the flow Google documents.

The OpenAI-compatible endpoint creates, retrieves and cancels batches, but it has no `/files`:
the JSONL input is uploaded, and the output downloaded, with the google-genai SDK's Files API
at the same host (`.../v1beta/openai/` minus `v1beta/openai/`). Every failure, from either SDK,
becomes an `UpstreamError`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

from playground.llm.client import client_for
from playground.llm.errors import UpstreamError, error_from_body, upstream_error_from
from playground.llm.providers import Provider

if TYPE_CHECKING:
    from google import genai

# The google-genai SDK takes about a second to import, and only batches use it: it is imported
# where a batch talks to the Files API, not by every process that loads the URLs.

CHAT_ENDPOINT = "/v1/chat/completions"
EMBEDDINGS_ENDPOINT = "/v1/embeddings"
ENDPOINTS = (CHAT_ENDPOINT, EMBEDDINGS_ENDPOINT)
FINAL_STATUSES = frozenset({"completed", "failed", "expired", "cancelled"})
OPENAI_PATH = "v1beta/openai/"
# What Google's example passes; Gemini takes it as the JSONL type.
INPUT_MIME_TYPE = "jsonl"


@dataclass(frozen=True, slots=True)
class BatchLineError:
    message: str
    line: int | None = None
    code: str = ""


@dataclass(frozen=True, slots=True)
class BatchState:
    """A batch as the endpoint last described it; `raw` keeps every field as sent."""

    id: str
    status: str
    endpoint: str = ""
    output_file_id: str = ""
    error_file_id: str = ""
    completed: int = 0
    failed: int = 0
    total: int = 0
    errors: tuple[BatchLineError, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @classmethod
    def from_api(cls, raw: object) -> BatchState:
        if not isinstance(raw, Mapping) or not raw.get("id") or not raw.get("status"):
            raise UpstreamError(
                f"The endpoint described a batch without an id or status: {raw!r}.",
                kind="malformed",
            )
        counts = raw.get("request_counts") or {}
        errors = (raw.get("errors") or {}).get("data") or []
        return cls(
            id=str(raw["id"]),
            status=str(raw["status"]),
            endpoint=str(raw.get("endpoint") or ""),
            output_file_id=str(raw.get("output_file_id") or ""),
            error_file_id=str(raw.get("error_file_id") or ""),
            completed=_count(counts, "completed"),
            failed=_count(counts, "failed"),
            total=_count(counts, "total"),
            errors=tuple(
                BatchLineError(
                    message=str(error.get("message") or "No message."),
                    line=error.get("line") if isinstance(error.get("line"), int) else None,
                    code=str(error.get("code") or ""),
                )
                for error in errors
                if isinstance(error, Mapping)
            ),
            raw=dict(raw),
        )


def _count(counts: object, name: str) -> int:
    value = counts.get(name) if isinstance(counts, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def files_root_url(provider: Provider) -> str:
    """Where the Files API lives for this provider: the host of its OpenAI-compatible path."""
    base = provider.base_url if provider.base_url.endswith("/") else provider.base_url + "/"
    if not base.endswith(OPENAI_PATH):
        raise UpstreamError(
            f"{provider.label} ({provider.base_url}) has no Gemini Files API, which batches "
            "need to upload their input: use Gemini or the emulator.",
            kind="http",
        )
    return base.removesuffix(OPENAI_PATH)


def _files_client(provider: Provider) -> genai.Client:
    from google import genai
    from google.genai import types as genai_types

    return genai.Client(
        api_key=provider.api_key or "missing-key",
        http_options=genai_types.HttpOptions(
            base_url=files_root_url(provider),
            timeout=int(settings.UPSTREAM_TIMEOUT_SECONDS * 1000),
        ),
    )


def _upstream_error(exc: BaseException) -> UpstreamError:
    from google.genai import errors as genai_errors

    if isinstance(exc, genai_errors.APIError):
        body = exc.details if isinstance(exc.details, Mapping) else {}
        if "error" not in body:
            body = {"error": body}
        return error_from_body(exc.code or None, body)
    return upstream_error_from(exc)


async def _close(client: genai.Client) -> None:
    await client.aio.aclose()
    client.close()


async def upload_batch_input(provider: Provider, *, content: bytes, display_name: str) -> str:
    """Uploads JSONL request lines; returns the file's name (`files/...`)."""
    from google.genai import types as genai_types

    client = _files_client(provider)
    try:
        uploaded = await client.aio.files.upload(
            file=io.BytesIO(content),
            config=genai_types.UploadFileConfig(
                display_name=display_name, mime_type=INPUT_MIME_TYPE
            ),
        )
    except Exception as exc:
        raise _upstream_error(exc) from exc
    finally:
        await _close(client)
    if not uploaded.name:
        raise UpstreamError("The Files API did not name the uploaded file.", kind="malformed")
    return uploaded.name


async def download_file(provider: Provider, file_id: str) -> bytes:
    """A generated file's bytes (batch output), by name (`files/...`)."""
    client = _files_client(provider)
    try:
        return await client.aio.files.download(file=file_id)
    except Exception as exc:
        raise _upstream_error(exc) from exc
    finally:
        await _close(client)


def _state(batch: object) -> BatchState:
    to_dict = getattr(batch, "to_dict", None)
    return BatchState.from_api(to_dict() if callable(to_dict) else batch)


async def create_batch(provider: Provider, *, input_file_id: str, endpoint: str) -> BatchState:
    try:
        batch = await client_for(provider).batches.create(
            input_file_id=input_file_id, endpoint=endpoint, completion_window="24h"
        )
        return _state(batch)
    except Exception as exc:
        raise upstream_error_from(exc) from exc


async def retrieve_batch(provider: Provider, batch_id: str) -> BatchState:
    try:
        return _state(await client_for(provider).batches.retrieve(batch_id))
    except Exception as exc:
        raise upstream_error_from(exc) from exc


async def cancel_batch(provider: Provider, batch_id: str) -> BatchState:
    try:
        return _state(await client_for(provider).batches.cancel(batch_id))
    except Exception as exc:
        raise upstream_error_from(exc) from exc
