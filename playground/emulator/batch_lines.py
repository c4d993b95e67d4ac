"""The lines of a batch: checked when the batch is created, run one by one as it progresses.

Each request line goes through the emulator's own chat or embeddings code, exactly as if it
had been sent to `chat/completions` or `embeddings`. Output lines are written as the wire shows
them (google-gemini cookbook output): the response `body` is protobuf JSON, so its keys are
camelCase, `created` is a string and an `index` of 0 is left out.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

from playground.emulator.chat_request import chat_request_parse
from playground.emulator.completion import completion_body, completion_id
from playground.emulator.embeddings import embedding_request_parse, embedding_response_body
from playground.emulator.errors import GeminiError, dumps
from playground.emulator.json_body import json_read
from playground.emulator.replies import replies_write
from playground.limits.json_depth import JsonRefused

CHAT = "/v1/chat/completions"
EMBEDDINGS = "/v1/embeddings"
ENDPOINTS = (CHAT, EMBEDDINGS)
SNAKE_PART = re.compile(r"_([a-z0-9])")


@dataclass(frozen=True, slots=True)
class InputLine:
    number: int
    custom_id: str
    body: dict[str, Any]


def line_error(number: int, message: str) -> dict[str, Any]:
    return {"code": "invalid_request", "line": number, "message": message}


def _input_line(number: int, text: str, endpoint: str, seen: set[str]) -> InputLine | str:
    """The parsed line, or why it cannot be run."""
    try:
        line = json_read(text)
    except JsonRefused as refusal:
        return f"Line {number}: {refusal}"
    except json.JSONDecodeError as exc:
        return f"Line {number} is not valid JSON ({exc.msg})."
    if not isinstance(line, dict):
        return f"Line {number} is not a JSON object."
    custom_id = line.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id:
        return f"Line {number} has no custom_id."
    if custom_id in seen:
        return f"Line {number} repeats custom_id {custom_id!r}; each must be unique."
    if line.get("method") != "POST":
        return f"Line {number}: method must be POST."
    if line.get("url") != endpoint:
        return f"Line {number}: url {line.get('url')!r} does not match the batch's {endpoint}."
    if not isinstance(line.get("body"), dict):
        return f"Line {number} has no body object."
    seen.add(custom_id)
    return InputLine(number=number, custom_id=custom_id, body=line["body"])


def input_lines_parse(content: bytes, endpoint: str) -> tuple[list[InputLine], list[dict]]:
    """Every request line, and the errors that fail the batch before it starts."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [line_error(1, "The input file is not UTF-8 text.")]
    lines: list[InputLine] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parsed = _input_line(number, raw, endpoint, seen)
        if isinstance(parsed, str):
            errors.append(line_error(number, parsed))
        else:
            lines.append(parsed)
    if not lines and not errors:
        errors.append(line_error(1, "The input file has no request lines."))
    return lines, errors


def lines_as_jsonl(lines: list[InputLine]) -> str:
    return "\n".join(dumps({"custom_id": line.custom_id, "body": line.body}) for line in lines)


def lines_from_jsonl(text: str) -> list[InputLine]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stored = json.loads(raw)
        lines.append(InputLine(number=number, custom_id=stored["custom_id"], body=stored["body"]))
    return lines


def camel_case(value: Any) -> Any:
    """Protobuf JSON spelling: snake_case keys become camelCase, all the way down."""
    if isinstance(value, dict):
        return {
            SNAKE_PART.sub(lambda m: m.group(1).upper(), k): camel_case(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [camel_case(item) for item in value]
    return value


def _without_zero_index(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Protobuf JSON leaves out fields at their default value.
    return [{k: v for k, v in item.items() if not (k == "index" and v == 0)} for item in items]


def _chat_body(body: dict[str, Any]) -> dict[str, Any]:
    chat = chat_request_parse(json.dumps(body).encode("utf-8"))
    replies = replies_write(chat)
    reply = completion_body(chat, replies, reply_id=completion_id(), created=int(time.time()))
    reply["choices"] = _without_zero_index(reply["choices"])
    reply["created"] = str(reply["created"])
    return reply


def _embedding_input(body: dict[str, Any]) -> dict[str, Any]:
    """Google's batch example sends `messages` to the embeddings endpoint: embed their text."""
    if "input" in body or "messages" not in body:
        return body
    messages = body["messages"] if isinstance(body["messages"], list) else []
    texts = [m.get("content") for m in messages if isinstance(m, dict)]
    given = {key: value for key, value in body.items() if key != "messages"}
    given["input"] = "\n".join(text for text in texts if isinstance(text, str))
    return given


def _embeddings_body(body: dict[str, Any]) -> dict[str, Any]:
    reply = embedding_response_body(embedding_request_parse(_embedding_input(body)))
    reply["data"] = _without_zero_index(reply["data"])
    return reply


def line_output(line: InputLine, endpoint: str) -> tuple[dict[str, Any], bool]:
    """The output line for one request, and whether it succeeded."""
    try:
        body = _chat_body(line.body) if endpoint == CHAT else _embeddings_body(line.body)
    except GeminiError as error:
        response = {"body": error.body()[0], "status_code": error.code}
        return {"custom_id": line.custom_id, "response": response}, False
    response = {"body": camel_case(body), "status_code": 200}
    return {"custom_id": line.custom_id, "response": response}, True
