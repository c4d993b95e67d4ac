""" "Get code": the one printer of values as Python and JavaScript literals and as shell words.

Every snippet ("Get code" on chat, images, video, embeddings and batches) prints the values it
sends through these functions, so a quoting rule is written once. A dict prints one key per
line, as the seed's examples do; a short list of plain values stays on one line. A `FileRead`
stands where the request carries a file's base64 text: the code reads the file instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

Language = Literal["python", "javascript"]

INDENTS: dict[Language, str] = {"python": "    ", "javascript": "  "}
ENCODE_FILE: dict[Language, str] = {"python": "encode_file", "javascript": "encodeFile"}
SCALAR_LIST_WIDTH = 60  # a list of plain values longer than this goes one item per line
# Printing recurses once per level: deeper values (only hand-written JSON gets there) are
# refused by `nesting_depth` before printing, rather than reaching Python's recursion limit.
MAX_NESTING = 64
JS_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
# Inside double quotes the shell still expands these; a text holding any is single-quoted.
SHELL_ACTIVE = re.compile(r"[\"$`\\!\n]")
# curl's -F reads `@file`, `<file` and `;type=` inside a value; --form-string sends it as it is.
FORM_PLAIN = re.compile(r"[^@<;\"]*")


@dataclass(frozen=True, slots=True)
class FileRead:
    """A file's base64 text in the request, printed as code that reads the file."""

    path: str
    prefix: str = ""  # "data:image/png;base64," for data URLs, "" for bare base64
    base64_text: str = field(default="", repr=False, compare=False)  # what the request held

    @property
    def shell_variable(self) -> str:
        name = re.sub(r"[^A-Za-z0-9]+", "_", self.path.rsplit(".", 1)[0]).strip("_").upper()
        return name if name and not name[0].isdigit() else f"FILE_{name}"


def literal(value: Any, language: Language, depth: int = 0) -> str:
    """`value` as a `language` literal, its closing bracket indented `depth` levels."""
    indent = INDENTS[language]
    pad, inner = indent * depth, indent * (depth + 1)
    if isinstance(value, FileRead):
        call = f"{ENCODE_FILE[language]}({json.dumps(value.path, ensure_ascii=False)})"
        return f"{json.dumps(value.prefix)} + {call}" if value.prefix else call
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{_key(key, language)}: {literal(item, language, depth + 1)},"
            for key, item in value.items()
        ]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list | tuple):
        items = [literal(item, language, depth + 1) for item in value]
        one_line = "[" + ", ".join(items) + "]"
        if all(_is_plain(item) for item in value) and len(one_line) <= SCALAR_LIST_WIDTH:
            return one_line
        return "[\n" + "".join(f"{inner}{item},\n" for item in items) + f"{pad}]"
    if language == "python" and (isinstance(value, bool) or value is None):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _is_plain(value: Any) -> bool:
    return not isinstance(value, dict | list | tuple | FileRead)


def _key(key: str, language: Language) -> str:
    if language == "javascript" and key == "__proto__":
        return '["__proto__"]'  # a plain `__proto__:` key would set the object's prototype
    if language == "javascript" and JS_IDENTIFIER.match(key):
        return key
    return json.dumps(key, ensure_ascii=False)


def python_keyword_arguments(arguments: dict[str, Any], depth: int = 1) -> str:
    """One `name=value,` line per argument, for a call whose arguments are `depth` levels in."""
    pad = INDENTS["python"] * depth
    return "".join(
        f"{pad}{name}={literal(value, 'python', depth)},\n" for name, value in arguments.items()
    )


def shell_quoted(text: str) -> str:
    """Double quotes as the seed writes them, single quotes when the text needs them."""
    if not SHELL_ACTIVE.search(text):
        return f'"{text}"'
    return "'" + text.replace("'", "'\\''") + "'"


def json_text(value: Any) -> str:
    """The JSON a request sends, indented for reading; files are a curl-only concern."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def heredoc_json(value: Any) -> str:
    """JSON for an unquoted shell heredoc: each FileRead becomes its shell variable."""
    marks: dict[str, FileRead] = {}

    def mark(item: Any) -> Any:
        if isinstance(item, FileRead):
            token = f"@@FILE{len(marks)}@@"
            marks[token] = item
            return token
        if isinstance(item, dict):
            return {key: mark(inner) for key, inner in item.items()}
        if isinstance(item, list | tuple):
            return [mark(inner) for inner in item]
        return item

    # An unquoted heredoc still expands $, ` and \: escape those, then add our own expansions.
    text = json_text(mark(value)).replace("\\", "\\\\").replace("$", "\\$").replace("`", "\\`")
    for token, read in marks.items():
        text = text.replace(token, f"{read.prefix}${{{read.shell_variable}}}")
    return text


def form_fields(value: Any, prefix: str) -> list[tuple[str, Any]]:
    """A nested value as multipart field names, the way the openai SDKs encode them."""
    if isinstance(value, dict):
        return [
            pair for key, item in value.items() for pair in form_fields(item, f"{prefix}[{key}]")
        ]
    if isinstance(value, list | tuple):
        return [pair for item in value for pair in form_fields(item, f"{prefix}[]")]
    return [(prefix, value)]


def curl_form_option(name: str, value: Any) -> str:
    """One `-F` option; a FileRead field makes curl read its text from `<path>.b64`."""
    if isinstance(value, FileRead):
        return f"-F {shell_quoted(f'{name}=<{value.path}.b64')}"
    text = "true" if value is True else "false" if value is False else str(value)
    option = "-F" if FORM_PLAIN.fullmatch(text) else "--form-string"
    return f"{option} {shell_quoted(f'{name}={text}')}"


def files_read(value: Any) -> list[FileRead]:
    """The FileReads in a value, each path once, in the order they appear."""
    found: dict[str, FileRead] = {}

    def walk(item: Any) -> None:
        if isinstance(item, FileRead):
            found.setdefault(item.path, item)
        elif isinstance(item, dict):
            for inner in item.values():
                walk(inner)
        elif isinstance(item, list | tuple):
            for inner in item:
                walk(inner)

    walk(value)
    return list(found.values())


def nesting_depth(value: Any) -> int:
    """How many dicts and lists deep `value` goes, counted without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list | tuple):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in item)
    return deepest
