"""A batch's output file, read into one row per request.

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

# The table shows the start of each answer; the output JSONL has them whole.
ANSWER_CHARS = 1_500


@dataclass(frozen=True, slots=True)
class ResultRow:
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
    shown = text if len(text) <= ANSWER_CHARS else text[:ANSWER_CHARS].rstrip() + "…"
    return shown, str(_pick(first, "finishReason", "finish_reason") or "")


def result_row(line: dict[str, Any]) -> ResultRow:
    custom_id = str(line.get("custom_id") or "")
    response = line.get("response") if isinstance(line.get("response"), dict) else {}
    status = _whole(_pick(response, "status_code", "statusCode"))
    body = _pick(response, "body")
    if line.get("error") or (status is not None and status >= 400) or isinstance(body, list):
        error = _error_text(line.get("error") or body) or f"HTTP {status}"
        return ResultRow(custom_id=custom_id, status_code=status, error=error)
    if not isinstance(body, dict):
        return ResultRow(custom_id=custom_id, status_code=status, error="No response body.")
    usage = _pick(body, "usage") or {}
    answer, finish = _answer(body)
    return ResultRow(
        custom_id=custom_id,
        status_code=status,
        answer=answer,
        finish_reason=finish,
        embedding_size=_embedding_size(_pick(body, "data")),
        prompt_tokens=_whole(_pick(usage, "promptTokens", "prompt_tokens")),
        completion_tokens=_whole(_pick(usage, "completionTokens", "completion_tokens")),
        total_tokens=_whole(_pick(usage, "totalTokens", "total_tokens")),
    )


def results_parse(text: str) -> tuple[list[ResultRow], int]:
    """Rows in the file's order, and how many lines could not be read at all."""
    rows: list[ResultRow] = []
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
        rows.append(result_row(line))
    return rows, unreadable


def results_in_input_order(rows: list[ResultRow], custom_ids: list[str]) -> list[ResultRow]:
    """One row per request as submitted; requests without an output line say so."""
    by_id = {row.custom_id: row for row in rows}
    ordered = [
        by_id.pop(custom_id, None) or ResultRow(custom_id, error="No result in the output file.")
        for custom_id in custom_ids
    ]
    return ordered + list(by_id.values())
