"""A short text matching a JSON Schema `pattern`, for when nothing in the prompt matches it.

Python's own regular-expression parser reads the pattern; the text takes the first branch,
the fewest repetitions, and the first character each class allows. Lookarounds and
backreferences are beyond it: then there is no text, and the caller keeps its own.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # the parser `re` itself uses; stable across 3.11+
from re._constants import (
    ANY,
    AT,
    BRANCH,
    CATEGORY,
    CATEGORY_DIGIT,
    CATEGORY_NOT_DIGIT,
    CATEGORY_NOT_SPACE,
    CATEGORY_NOT_WORD,
    CATEGORY_SPACE,
    CATEGORY_WORD,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    NEGATE,
    NOT_LITERAL,
    RANGE,
    SUBPATTERN,
)
from typing import Any

CATEGORY_SAMPLES = {
    CATEGORY_DIGIT: "0",
    CATEGORY_NOT_DIGIT: "a",
    CATEGORY_WORD: "a",
    CATEGORY_NOT_WORD: "-",
    CATEGORY_SPACE: " ",
    CATEGORY_NOT_SPACE: "a",
}
# Characters tried, in order, for a negated class or a "not this literal".
FALLBACK_CHARACTERS = "a0A_- x"


class _Unsupported(Exception):
    pass


def _class_character(items: list[tuple[Any, Any]]) -> str:
    if items and items[0][0] is NEGATE:
        excluded = re.compile("[" + "".join(_class_source(items[1:])) + "]")
        for char in FALLBACK_CHARACTERS:
            if not excluded.match(char):
                return char
        raise _Unsupported
    kind, value = items[0]
    if kind is LITERAL:
        return chr(value)
    if kind is RANGE:
        return chr(value[0])
    if kind is CATEGORY and value in CATEGORY_SAMPLES:
        return CATEGORY_SAMPLES[value]
    raise _Unsupported


def _class_source(items: list[tuple[Any, Any]]) -> list[str]:
    parts = []
    for kind, value in items:
        if kind is LITERAL:
            parts.append(re.escape(chr(value)))
        elif kind is RANGE:
            parts.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
        elif kind is CATEGORY:
            parts.append(
                {CATEGORY_DIGIT: r"\d", CATEGORY_WORD: r"\w", CATEGORY_SPACE: r"\s"}.get(value, "")
            )
        else:
            raise _Unsupported
    return parts


def _text(parsed: Any) -> str:
    out = []
    for kind, value in parsed:
        if kind is LITERAL:
            out.append(chr(value))
        elif kind is NOT_LITERAL:
            out.append(next(c for c in FALLBACK_CHARACTERS if ord(c) != value))
        elif kind is ANY:
            out.append("a")
        elif kind is IN:
            out.append(_class_character(value))
        elif kind in (MAX_REPEAT, MIN_REPEAT):
            low, _, sub = value
            out.append(_text(sub) * low)
        elif kind is SUBPATTERN:
            out.append(_text(value[-1]))
        elif kind is BRANCH:
            out.append(_text(value[1][0]))
        elif kind is AT:
            continue
        else:
            raise _Unsupported
    return "".join(out)


def text_matching(pattern: str) -> str | None:
    try:
        text = _text(sre_parse.parse(pattern))
    except (_Unsupported, re.error, StopIteration, RecursionError):
        return None
    return text if re.search(pattern, text) else None
