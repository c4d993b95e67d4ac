"""A batch's output file, read into one typed result per request.

Gemini writes each response `body` as protobuf JSON (camelCase keys, `created` as a string);
OpenAI writes snake_case. Both are read. A failed request may carry its error inside the
response body (with the HTTP status) or, OpenAI-style, as a top-level `error`.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one request of a batch gave: an answer or an embedding's size, its tokens, or why
    it failed."""

    custom_id: str
    status_code: int | None = None
    answer: str = ""
    finish_reason: str = ""
    embedding_size: int | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return not self.error and (self.status_code is None or self.status_code < 400)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class BatchOutput:
    """The results in the file's order, and how many lines could not be read at all."""

    results: tuple[BatchResult, ...]
    unreadable: int


def _pick(mapping: Any, *names: str) -> Any:
    """The first of several spellings (`finishReason` / `finish_reason`) that is present."""
    if not isinstance(mapping, dict):
        return None
    return next((mapping[name] for name in names if name in mapping), None)


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)  # protobuf JSON writes 64-bit numbers as strings
    return None


def _error_text(error: Any) -> str:
    if isinstance(error, list) and error:
        error = error[0]
    inner = _pick(error, "error") or error
    if isinstance(inner, dict):
        message = str(inner.get("message") or "").strip()
        status = inner.get("status") or inner.get("code") or ""
        return f"{status}: {message}" if status and message else message or str(status)
    return str(inner or "")


def _embedding_size(data: Any) -> int | None:
    first = data[0] if isinstance(data, list) and data else None
    embedding = _pick(first, "embedding")
    if isinstance(embedding, list):
        return len(embedding)
    if isinstance(embedding, str):
        try:
            return len(base64.b64decode(embedding, validate=True)) // 4
        except (binascii.Error, ValueError):
            return None
    return None


def _answer(body: dict[str, Any]) -> tuple[str, str]:
    choices = _pick(body, "choices")
    first = choices[0] if isinstance(choices, list) and choices else {}
    message = _pick(first, "message") or {}
    content = _pick(message, "content")
    text = content if isinstance(content, str) else ""
    return text, str(_pick(first, "finishReason", "finish_reason") or "")


def batch_result(line: dict[str, Any]) -> BatchResult:
    custom_id = str(line.get("custom_id") or "")
    response = line.get("response") if isinstance(line.get("response"), dict) else {}
    status = _whole(_pick(response, "status_code", "statusCode"))
    body = _pick(response, "body")
    if line.get("error") or (status is not None and status >= 400) or isinstance(body, list):
        error = _error_text(line.get("error") or body) or f"HTTP {status}"
        return BatchResult(custom_id=custom_id, status_code=status, error=error)
    if not isinstance(body, dict):
        return BatchResult(custom_id=custom_id, status_code=status, error="No response body.")
    usage = _pick(body, "usage") or {}
    answer, finish = _answer(body)
    return BatchResult(
        custom_id=custom_id,
        status_code=status,
        answer=answer,
        finish_reason=finish,
        embedding_size=_embedding_size(_pick(body, "data")),
        prompt_tokens=_whole(_pick(usage, "promptTokens", "prompt_tokens")),
        completion_tokens=_whole(_pick(usage, "completionTokens", "completion_tokens")),
        total_tokens=_whole(_pick(usage, "totalTokens", "total_tokens")),
    )


def batch_output_read(text: str) -> BatchOutput:
    """Every line of an output (or error) file; a line that is not a JSON object is counted."""
    results: list[BatchResult] = []
    unreadable = 0
    for given in text.splitlines():
        if not given.strip():
            continue
        try:
            line = json.loads(given)
        except json.JSONDecodeError:
            unreadable += 1
            continue
        if not isinstance(line, dict):
            unreadable += 1
            continue
        results.append(batch_result(line))
    return BatchOutput(results=tuple(results), unreadable=unreadable)
