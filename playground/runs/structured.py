"""A structured-output reply checked against what was asked for, ready for the page.

Checked once, when the turn is stored: the page shows the JSON indented, a valid/invalid
badge, and where it is wrong (JSON pointer and message).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from playground.llm import check_structured_reply, json_error_message


def _object_check(answer: str) -> tuple[bool, list[tuple[str, str]]]:
    try:
        value = json.loads(answer)
    except json.JSONDecodeError as error:
        return False, [("", f"Not JSON: {json_error_message(error)}")]
    if not isinstance(value, dict):
        return False, [("", "json_object asks for a JSON object ({...}); this is not one.")]
    return True, []


def structured_reply(answer: str, response_format: object) -> dict[str, Any] | None:
    """`{"kind", "valid", "pretty", "problems": [{"path", "message"}]}`, or None when the run
    did not ask for JSON (or nothing came back)."""
    if not answer.strip() or not isinstance(response_format, Mapping):
        return None
    kind = response_format.get("type")
    if kind == "json_schema":
        inner = response_format.get("json_schema")
        schema = inner.get("schema") if isinstance(inner, Mapping) else None
        if not isinstance(schema, Mapping):
            return None
        valid, problems = check_structured_reply(answer, schema)
    elif kind == "json_object":
        valid, problems = _object_check(answer)
    else:
        return None
    try:
        pretty = json.dumps(json.loads(answer), indent=2, ensure_ascii=False)
    except ValueError:
        pretty = answer
    return {
        "kind": kind,
        "valid": valid,
        "pretty": pretty,
        "problems": [
            {"path": path or "(the whole reply)", "message": message} for path, message in problems
        ],
    }
