"""Replies for `response_format` json_object / json_schema: valid JSON that admits it is made up."""

from __future__ import annotations

import json
from typing import Any

from playground.emulator.chat_request import ChatRequest
from playground.emulator.reply_text import one_line

NOTE = "Emulator reply: made up locally, not from Gemini."
MAX_DEPTH = 6


def _first_type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        return next((k for k in kind if k != "null"), None)
    return kind


def sample_for_schema(schema: Any, name: str = "value", depth: int = 0) -> Any:
    """A small instance of a JSON schema: first enum value, every property, one array item."""
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return None
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if schema.get(combinator):
            return sample_for_schema(schema[combinator][0], name, depth + 1)
    kind = _first_type(schema)
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        return {key: sample_for_schema(sub, key, depth + 1) for key, sub in properties.items()}
    if kind == "array":
        return [sample_for_schema(schema.get("items") or {}, name, depth + 1)]
    samples = {"integer": 1, "number": 1.5, "boolean": True, "null": None}
    return samples.get(kind, f"emulated {name}") if kind else f"emulated {name}"


def json_answer_text(request: ChatRequest, index: int) -> str:
    response_format = request.response_format or {}
    if response_format.get("type") == "json_schema":
        value = sample_for_schema(response_format["json_schema"]["schema"])
    else:
        conversation = request.conversation
        value = {
            "note": NOTE,
            "question": one_line(conversation.last_question),
            "turn": conversation.user_turns,
            "choice": index + 1,
            "model": request.model_given,
        }
    return json.dumps(value, indent=2, ensure_ascii=False)
