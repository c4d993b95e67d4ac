""" "Get code": a RunSpec as Python (openai), JavaScript (openai npm) and curl, in the seed's style.

Every snippet is rendered from `RunSpec.request_body()`, the same value the playground sends,
so what is shown is what was sent. The key is always read from GEMINI_API_KEY, never written.
Large inline files (base64 images and audio) become a line that reads the file instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any

from playground.llm.runspec import RunSpec

INLINE_LIMIT = 1_000  # base64 characters shown inline before a file-reading line takes over
DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+);base64,(?P<data>.*)$", re.S)
EXTENSIONS = {
    "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif",
    "audio/wav": "wav", "audio/x-wav": "wav", "audio/mpeg": "mp3", "audio/mp3": "mp3",
}  # fmt: skip
INDENT = "    "


@dataclass(frozen=True)
class InlineFile:
    """A large base64 value replaced by a variable that reads `filename`."""

    variable: str
    filename: str
    prefix: str  # "data:image/png;base64," for data URLs, "" for raw base64 (input_audio)

    def content(self, data: str) -> bytes:
        return base64.b64decode(data)


@dataclass
class _Extracted:
    body: Any
    files: list[tuple[InlineFile, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CodeSnippets:
    python: str
    javascript: str
    curl: str
    # The files the snippets read, with the bytes they should hold (the request's own data).
    files: tuple[tuple[str, bytes], ...] = ()


class _Ref:
    """A placeholder in the body for an InlineFile, rendered per language."""

    def __init__(self, inline: InlineFile):
        self.inline = inline


def _extract(value: Any, found: list[tuple[InlineFile, str]], audio_format: str = "") -> Any:
    if isinstance(value, dict):
        fmt = value.get("format", "") if isinstance(value.get("format"), str) else ""
        return {k: _extract(v, found, fmt if k == "data" else "") for k, v in value.items()}
    if isinstance(value, list):
        return [_extract(item, found) for item in value]
    if isinstance(value, str) and len(value) > INLINE_LIMIT:
        match = DATA_URL.match(value)
        if match and _is_base64(match["data"]):
            kind = "image" if match["mime"].startswith("image/") else "file"
            ext = EXTENSIONS.get(match["mime"], "bin")
            return _ref(found, kind, ext, f"data:{match['mime']};base64,", match["data"])
        if audio_format and _is_base64(value):
            return _ref(found, "audio", audio_format, "", value)
    return value


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text[: 4096 - 4096 % 4] or "", validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _ref(found: list, kind: str, ext: str, prefix: str, data: str) -> _Ref:
    number = sum(1 for inline, _ in found if inline.filename.startswith(kind)) + 1
    inline = InlineFile(f"{kind}_{number}".upper(), f"{kind}_{number}.{ext}", prefix)
    found.append((inline, data))
    return _Ref(inline)


def snippets_for(spec: RunSpec, *, base_url: str) -> CodeSnippets:
    found: list[tuple[InlineFile, str]] = []
    body = _extract(spec.request_body(), found)
    files = tuple((inline.filename, inline.content(data)) for inline, data in found)
    return CodeSnippets(
        python=_python(spec, body, base_url, [inline for inline, _ in found]),
        javascript=_javascript(spec, body, base_url, [inline for inline, _ in found]),
        curl=_curl(body, base_url, [inline for inline, _ in found]),
        files=files,
    )


# Python ----------------------------------------------------------------------------------


def _py(value: Any, depth: int = 0) -> str:
    pad, inner = INDENT * depth, INDENT * (depth + 1)
    if isinstance(value, _Ref):
        return f'f"{value.inline.prefix}{{{value.inline.variable}}}"'
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {_py(v, depth + 1)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{inner}{_py(v, depth + 1)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _python(spec: RunSpec, body: dict[str, Any], base_url: str, inlines: list[InlineFile]) -> str:
    kwargs = dict(body)
    extra = kwargs.pop("extra_body", None)
    lines = ["import os", ""]
    if inlines:
        lines = ["import base64", "import os", "import pathlib", ""]
    lines += [
        "from openai import OpenAI",
        "",
        "client = OpenAI(",
        f'{INDENT}api_key=os.environ["GEMINI_API_KEY"],',
        f"{INDENT}base_url={json.dumps(base_url)},",
        ")",
        "",
    ]
    for inline in inlines:
        lines.append(
            f"{inline.variable} = base64.b64encode("
            f'pathlib.Path("{inline.filename}").read_bytes()).decode()'
        )
    if inlines:
        lines.append("")
    lines.append("response = client.chat.completions.create(")
    for name, value in kwargs.items():
        lines.append(f"{INDENT}{name}={_py(value, 1)},")
    if extra:
        # The SDK merges extra_body into the JSON; Gemini wants a literal "extra_body" key.
        lines.append(f"{INDENT}extra_body={_py({'extra_body': extra}, 1)},")
    lines.append(")")
    if spec.stream:
        lines += ["", "for chunk in response:", f"{INDENT}print(chunk)"]
    else:
        lines += ["", "print(response.choices[0].message)"]
    return "\n".join(lines) + "\n"


# JavaScript ------------------------------------------------------------------------------


def _js(value: Any, depth: int = 0) -> str:
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, _Ref):
        return f"`{value.inline.prefix}${{{value.inline.variable}}}`"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_js_key(k)}: {_js(v, depth + 1)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "\n".join(f"{inner}{_js(v, depth + 1)}," for v in value) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


def _js_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_$][\w$]*", key) else json.dumps(key)


def _javascript(
    spec: RunSpec, body: dict[str, Any], base_url: str, inlines: list[InlineFile]
) -> str:
    lines = ['import fs from "node:fs";'] if inlines else []
    lines += [
        'import OpenAI from "openai";',
        "",
        "const openai = new OpenAI({",
        "  apiKey: process.env.GEMINI_API_KEY,",
        f"  baseURL: {json.dumps(base_url)},",
        "});",
        "",
    ]
    for inline in inlines:
        lines.append(
            f'const {inline.variable} = fs.readFileSync("{inline.filename}").toString("base64");'
        )
    if inlines:
        lines.append("")
    # The JS SDK sends unknown parameters as they are, so extra_body stays one level deep.
    lines.append(f"const response = await openai.chat.completions.create({_js(body)});")
    if spec.stream:
        lines += ["", "for await (const chunk of response) {", "  console.log(chunk);", "}"]
    else:
        lines += ["", "console.log(response.choices[0].message);"]
    return "\n".join(lines) + "\n"


# curl ------------------------------------------------------------------------------------


def _json_with_refs(value: Any) -> str:
    """JSON text with each _Ref as a ${VAR} shell expansion (for an unquoted heredoc)."""
    marks: dict[str, InlineFile] = {}

    def mark(item: Any) -> Any:
        if isinstance(item, _Ref):
            token = f"@@INLINE{len(marks)}@@"
            marks[token] = item.inline
            return token
        if isinstance(item, dict):
            return {k: mark(v) for k, v in item.items()}
        if isinstance(item, list):
            return [mark(v) for v in item]
        return item

    text = json.dumps(mark(value), indent=2, ensure_ascii=False)
    # In an unquoted heredoc the shell expands $, ` and \\: escape them, then add our own.
    text = text.replace("\\", "\\\\").replace("$", "\\$").replace("`", "\\`")
    for token, inline in marks.items():
        text = text.replace(token, f"{inline.prefix}${{{inline.variable}}}")
    return text


def _curl(body: dict[str, Any], base_url: str, inlines: list[InlineFile]) -> str:
    url = base_url.rstrip("/") + "/chat/completions"
    head = [
        f'curl "{url}" \\',
        '  -H "Content-Type: application/json" \\',
        '  -H "Authorization: Bearer $GEMINI_API_KEY" \\',
    ]
    if not inlines:
        text = json.dumps(body, indent=2, ensure_ascii=False).replace("'", "'\\''")
        return "\n".join([*head, f"  -d '{text}'"]) + "\n"
    reads = [f'{inline.variable}=$(base64 -w0 "{inline.filename}")' for inline in inlines]
    return "\n".join([*reads, *head, "  -d @- <<EOF", _json_with_refs(body), "EOF"]) + "\n"
