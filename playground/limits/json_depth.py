"""Reading JSON that comes from outside, with its size and nesting bounded.

`json.loads` recurses once per `[` or `{`: 100,000 of them raise RecursionError (a 500 where a
clear message belongs), and a few thousand parse but then break whatever walks the value later
(templates, code export, `json.dumps`). The nesting is therefore measured first, without
recursion, and the text refused before it is parsed.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

# A protobuf message (what Gemini parses a request into) may nest 100 deep.
REQUEST_MAX_DEPTH = 100
# Settings typed into a form (a generation config, safety settings) need far less.
SETTINGS_MAX_DEPTH = 32

# A whole JSON string, escapes included; what remains outside strings is kept only if a bracket.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class JsonRefused(ValueError):
    """JSON text that is too long or nested too deeply to be read; the message says which.

    `reason` completes a sentence about the text ("is nested too deeply: ..."), so a form can
    name its field: f"{label} {reason}".
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"The JSON {reason}")
        self.reason = reason


def json_depth_exceeds(text: str, max_depth: int) -> bool:
    """True when brackets outside strings nest deeper than `max_depth`.

    Strings are cut out and the brackets summed by the regex engine and `accumulate`, not by a
    Python loop per character: a 20 MB body is measured in about the time `json.loads` takes.
    """
    if text.count("[") + text.count("{") <= max_depth:
        return False  # cannot nest deeper than it has brackets
    brackets = _NOT_BRACKETS.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > max_depth


def json_loads_bounded(text: str | bytes, *, max_depth: int, max_chars: int) -> Any:
    """`json.loads`, refusing first what is too long or too deep (JsonRefused).

    Malformed JSON raises `json.JSONDecodeError` as usual (with its line and column); bytes
    that are not UTF-8 raise `UnicodeDecodeError`. All three are ValueErrors.
    """
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8")
    if len(text) > max_chars:
        raise JsonRefused(f"is {len(text):,} characters long; at most {max_chars:,} are accepted.")
    too_deep = JsonRefused(
        f"is nested too deeply: at most {max_depth} levels of [ and {{ are accepted."
    )
    if json_depth_exceeds(text, max_depth):
        raise too_deep
    try:
        return json.loads(text)
    except RecursionError:  # not reachable after the check above; kept as a last guard
        raise too_deep from None
