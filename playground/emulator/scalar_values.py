"""Numbers and strings fitted to a schema's bounds, lengths and formats."""

from __future__ import annotations

import math
import re
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from playground.emulator.prompt_clues import WEEKDAYS, PromptClues


def _limits(schema: dict[str, Any], inclusive: str, exclusive: str) -> tuple[float | None, bool]:
    """The stricter of an inclusive and an exclusive bound, and whether it is exclusive."""
    closed, opened = _bound(schema, inclusive), _bound(schema, exclusive)
    if opened is None:
        return closed, False
    if closed is None:
        return opened, True
    stricter_open = opened >= closed if inclusive == "minimum" else opened <= closed
    return (opened, True) if stricter_open else (closed, False)


def _bound(schema: dict[str, Any], key: str) -> float | None:
    value = schema.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def bounded_number(schema: dict[str, Any], candidate: float, *, integer: bool) -> int | float:
    """`candidate` moved inside the schema's bounds, and onto its `multipleOf` grid."""
    low, low_open = _limits(schema, "minimum", "exclusiveMinimum")
    high, high_open = _limits(schema, "maximum", "exclusiveMaximum")
    if integer:
        if low is not None:
            low, low_open = (math.floor(low) + 1 if low_open else math.ceil(low)), False
        if high is not None:
            high, high_open = (math.ceil(high) - 1 if high_open else math.floor(high)), False
    value = float(round(candidate)) if integer else float(candidate)
    if low is not None and (value < low or (low_open and value <= low)):
        value = low if not low_open else (low + high) / 2 if high is not None else low + 1
    if high is not None and (value > high or (high_open and value >= high)):
        value = high if not high_open else (low + high) / 2 if low is not None else high - 1

    def inside(number: float) -> bool:
        above = low is None or (number > low if low_open else number >= low)
        below = high is None or (number < high if high_open else number <= high)
        return above and below

    multiple = _bound(schema, "multipleOf")
    if multiple is not None and multiple > 0:
        for stepped in (
            math.ceil(value / multiple) * multiple,
            math.floor(value / multiple) * multiple,
        ):
            if inside(stepped):
                value = stepped
                break
    return int(value) if integer or value == int(value) else value


def matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True  # a pattern Python cannot read is not held against the reply


def fit_length(schema: dict[str, Any], text: str) -> str:
    low = schema.get("minLength")
    high = schema.get("maxLength")
    if isinstance(high, int) and len(text) > high:
        text = text[: max(high, 0)]
    if isinstance(low, int) and len(text) < low:
        text = text.ljust(low, "x")
    return text


def clue_date(clues: PromptClues, today: date) -> date:
    """The first date the prompt names, as a calendar day counted from today."""
    for text in clues.dates:
        lower = text.lower()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                continue
        if lower == "tomorrow":
            return today + timedelta(days=1)
        if lower == "yesterday":
            return today - timedelta(days=1)
        if lower in WEEKDAYS:
            return today + timedelta(days=(WEEKDAYS.index(lower) - today.weekday()) % 7)
    return today


def formatted_text(kind: Any, when: date, clues: PromptClues) -> str | None:
    """A value for a string `format`, or None for a format with no rule here."""
    fixed = {
        "time": "12:00:00Z",
        "email": "someone@example.com",
        "uri": "https://example.com/",
        "url": "https://example.com/",
        "iri": "https://example.com/",
        "uri-reference": "https://example.com/",
        "ipv4": "192.0.2.1",
        "ipv6": "2001:db8::1",
        "hostname": "example.com",
        "duration": "PT1H",
    }
    if kind == "date":
        return when.isoformat()
    if kind == "date-time":
        return datetime(when.year, when.month, when.day, 12, 0).isoformat() + "Z"
    if kind == "uuid":
        return str(uuid.uuid5(uuid.NAMESPACE_URL, clues.question))
    return fixed.get(kind) if isinstance(kind, str) else None
