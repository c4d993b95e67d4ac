"""Reading the recorded Gemini payloads in tests/fixtures/gemini/ (see the README there)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gemini"
DONE = "[DONE]"


def text_of(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def json_of(name: str) -> Any:
    return json.loads(text_of(name))


def recording_names(pattern: str) -> list[str]:
    return sorted(path.name for path in FIXTURES.glob(pattern))


def sse_payloads(name: str) -> list[dict[str, Any]]:
    """Every `data:` event of a recorded stream, parsed, without the closing [DONE]."""
    return [json.loads(data) for data in _data_lines(name) if data != DONE]


def sse_wire_body(name: str) -> bytes:
    """The recording as a well-formed SSE body.

    One stub (`stream_thoughts_*`) interleaves its own `Tokens:` lines and leaves out the
    blank lines between events; the wire has neither.
    """
    return "".join(f"data: {data}\n\n" for data in _data_lines(name)).encode()


def _data_lines(name: str) -> list[str]:
    return [
        line.removeprefix("data:").strip()
        for line in text_of(name).splitlines()
        if line.startswith("data:")
    ]


def cassette_interactions(name: str) -> list[dict[str, Any]]:
    """The interactions of a VCR cassette (the block-YAML subset VCR writes)."""
    return read_block_yaml(text_of(name))["interactions"]


# A tiny reader for block YAML as VCR writes it: mappings, sequences (also at the same
# indentation as their key), and plain, quoted or flow-empty scalars. PyYAML is not a
# dependency of the project, and a test helper does not justify one.
_KEY = re.compile(r"^([A-Za-z_@$][\w.@$-]*):(?: (.*))?$")


def read_block_yaml(text: str) -> Any:
    lines = [
        (len(line) - len(line.lstrip(" ")), line.strip())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    value, _ = _block(lines, 0, lines[0][0])
    return value


def _block(lines: list[tuple[int, str]], pos: int, indent: int) -> tuple[Any, int]:
    text = lines[pos][1]
    if text == "-" or text.startswith("- "):
        return _sequence(lines, pos, indent)
    if _KEY.match(text):
        return _mapping(lines, pos, indent)
    return _scalar(text), pos + 1


def _sequence(lines: list[tuple[int, str]], pos: int, indent: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    while pos < len(lines) and lines[pos][0] == indent and lines[pos][1].startswith("-"):
        rest = lines[pos][1][1:].strip()
        if rest:
            lines[pos] = (indent + 2, rest)  # "- key: v" opens a mapping two columns in
            item, pos = _block(lines, pos, indent + 2)
        else:
            item, pos = _block(lines, pos + 1, lines[pos + 1][0])
        items.append(item)
    return items, pos


def _mapping(lines: list[tuple[int, str]], pos: int, indent: int) -> tuple[dict[str, Any], int]:
    mapping: dict[str, Any] = {}
    while pos < len(lines) and lines[pos][0] == indent and (match := _KEY.match(lines[pos][1])):
        key, rest = match.group(1), match.group(2)
        pos += 1
        if rest is not None and rest.strip():
            mapping[key] = _scalar(rest.strip())
            continue
        nested = pos < len(lines) and (
            lines[pos][0] > indent or (lines[pos][0] == indent and lines[pos][1].startswith("-"))
        )
        mapping[key], pos = _block(lines, pos, lines[pos][0]) if nested else (None, pos)
    return mapping, pos


def _scalar(text: str) -> Any:
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    if text.startswith('"') and text.endswith('"'):
        return json.loads(text)
    simple = {"true": True, "false": False, "null": None, "~": None, "{}": {}, "[]": []}
    if text in simple:
        return simple[text]
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text
