"""Request bodies (and JSON inside them) read as Gemini's front end reads them: bounded in size
and nesting, and refused with its 400 wording."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playground.emulator.errors import invalid_argument
from playground.limits.json_depth import REQUEST_MAX_DEPTH, JsonRefused, json_loads_bounded

# Gemini's own cap on an inline request; pictures and audio travel inside the JSON.
REQUEST_LIMIT_BYTES = 20 * 1024 * 1024
UNEXPECTED_TOKEN = "Invalid JSON payload received. Unexpected token."


def json_read(text: str | bytes) -> Any:
    """The parsed JSON; JsonRefused or a ValueError of `json` when it cannot be read."""
    return json_loads_bounded(text, max_depth=REQUEST_MAX_DEPTH, max_chars=REQUEST_LIMIT_BYTES)


def body_json(raw: str | bytes, *, mend: Callable[[str], str] | None = None) -> Any:
    """The body parsed, or Gemini's 400. `mend` gets one more try at text that is not JSON."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes | bytearray) else raw
        try:
            return json_read(text)
        except json.JSONDecodeError:
            if mend is None:
                raise
            return json_read(mend(text))
    except JsonRefused as refusal:
        raise invalid_argument(f"Invalid JSON payload received. {refusal}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise invalid_argument(UNEXPECTED_TOKEN) from None
