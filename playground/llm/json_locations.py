"""Where things are in a JSON text: line and column of a parse error, or of a JSON pointer.

An editor shows problems next to the line a person typed; `json` only says where parsing
stopped, so valid documents are scanned once more to map every pointer to its place.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass

LITERAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")
WHITESPACE = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True, slots=True)
class Place:
    line: int  # from 1
    column: int  # from 1


def json_error_message(error: json.JSONDecodeError) -> str:
    """`Line 3, column 5: Expecting ',' delimiter.`, for showing under an editor."""
    return f"Line {error.lineno}, column {error.colno}: {error.msg}."


def pointer_escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def pointer_of(path: object) -> str:
    """A JSON pointer from a sequence of keys and indexes (jsonschema's `error.path`)."""
    parts = path if isinstance(path, list | tuple) else list(path)  # type: ignore[call-overload]
    return "".join(f"/{pointer_escape(str(part))}" for part in parts)


class _Scanner:
    """Walks a valid JSON text, noting where each member's key (or each item) begins."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.places: dict[str, Place] = {}

    def place(self, offset: int) -> Place:
        line = bisect.bisect_right(self.line_starts, offset)
        return Place(line, offset - self.line_starts[line - 1] + 1)

    def skip(self) -> None:
        self.pos = WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def value(self, pointer: str) -> None:
        self.skip()
        char = self.text[self.pos]
        if char == "{":
            self.members(pointer)
        elif char == "[":
            self.items(pointer)
        elif char == '"':
            _, self.pos = json.decoder.scanstring(self.text, self.pos + 1)  # type: ignore[attr-defined]
        else:
            match = LITERAL.match(self.text, self.pos)
            if match is None:
                raise ValueError(f"not JSON at offset {self.pos}")
            self.pos = match.end()

    def members(self, pointer: str) -> None:
        self.pos += 1
        self.skip()
        if self.text[self.pos] == "}":
            self.pos += 1
            return
        while True:
            self.skip()
            start = self.pos
            key, self.pos = json.decoder.scanstring(self.text, self.pos + 1)  # type: ignore[attr-defined]
            child = f"{pointer}/{pointer_escape(key)}"
            self.places.setdefault(child, self.place(start))
            self.skip()
            self.pos += 1  # the colon
            self.value(child)
            self.skip()
            closing = self.text[self.pos]
            self.pos += 1
            if closing == "}":
                return

    def items(self, pointer: str) -> None:
        self.pos += 1
        self.skip()
        if self.text[self.pos] == "]":
            self.pos += 1
            return
        index = 0
        while True:
            self.skip()
            child = f"{pointer}/{index}"
            self.places.setdefault(child, self.place(self.pos))
            self.value(child)
            self.skip()
            closing = self.text[self.pos]
            self.pos += 1
            if closing == "]":
                return
            index += 1


def json_places(text: str) -> dict[str, Place]:
    """Pointer -> where it starts, for a text `json.loads` accepts ({} for any other text).

    A member is placed at its key, an array item at its value; "" is the whole document.
    """
    try:
        json.loads(text)
    except ValueError:
        return {}
    scanner = _Scanner(text)
    scanner.skip()
    scanner.places[""] = scanner.place(scanner.pos)
    try:
        scanner.value("")
    except RecursionError:
        pass  # absurdly deep nesting: the places found so far still help
    return scanner.places


def place_of(places: dict[str, Place], pointer: str) -> Place | None:
    """The place of `pointer`, or of its nearest ancestor that exists in the text."""
    while True:
        if pointer in places:
            return places[pointer]
        if not pointer:
            return None
        pointer = pointer.rsplit("/", 1)[0]
