"""Batch input files in the OpenAI batch format: checked line by line before anything is sent,
and built from a prompt template and a list of inputs.

A line is `{"custom_id": ..., "method": "POST", "url": <the batch's endpoint>, "body": {...}}`.
Every problem of every line is reported with the line's number, so a long file can be mended
in one pass.
Blank lines are skipped (their numbers still count) and are not sent.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from playground.limits.json_depth import REQUEST_MAX_DEPTH, JsonRefused, json_loads_bounded
from playground.llm import CHAT_ENDPOINT, EMBEDDINGS_ENDPOINT, ENDPOINTS, bare_model_id

MAX_LINES = 50_000
MAX_BYTES = 10 * 1024 * 1024
# Lines with problems kept for display; the counts cover them all.
SHOWN_LINES = 200
# The first lines of each model kept (to name where a model not listed is asked for), and how
# many models not listed are named before "and N more".
SHOWN_MODEL_LINES = 5
SHOWN_UNLISTED_MODELS = 5
INPUT_PLACEHOLDER = "{input}"


@dataclass(frozen=True, slots=True)
class LineProblem:
    line: int | None  # None: the file as a whole
    message: str


@dataclass(frozen=True, slots=True)
class BadLine:
    """One line and everything wrong with it, so it is mended in one go."""

    line: int | None  # None: the file as a whole
    problems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JsonlCheck:
    lines: tuple[str, ...] = ()
    bad_lines: tuple[BadLine, ...] = ()  # the first SHOWN_LINES of them
    bad_line_count: int = 0
    problem_count: int = 0
    models: Counter[str] = field(default_factory=Counter)
    # model -> the numbers of the first SHOWN_MODEL_LINES lines asking for it
    model_lines: dict[str, list[int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0 and bool(self.lines)

    @property
    def problems(self) -> tuple[LineProblem, ...]:
        """The shown problems one by one, in line order."""
        return tuple(
            LineProblem(bad.line, message) for bad in self.bad_lines for message in bad.problems
        )

    @property
    def unshown_line_count(self) -> int:
        return self.bad_line_count - len(self.bad_lines)

    @property
    def model_counts(self) -> list[tuple[str, int]]:
        return self.models.most_common()

    @property
    def jsonl(self) -> str:
        """What is uploaded: the request lines as given, one per line, blank ones dropped."""
        return "".join(f"{line}\n" for line in self.lines)


def _body_problems(body: dict[str, Any], endpoint: str) -> list[str]:
    problems = []
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        problems.append("body.model is missing (the model to run, e.g. gemini-2.5-flash).")
    if endpoint == CHAT_ENDPOINT:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            problems.append("body.messages must be a non-empty list of messages.")
        problems.extend(_ceiling_problems(body))
    elif "input" not in body and "messages" not in body:
        problems.append("body.input is missing (a string, or a list of strings, to embed).")
    return problems


def _ceiling_problems(body: dict[str, Any]) -> list[str]:
    """The output ceiling chat has (MAX_OUTPUT_TOKENS_CEILING) holds for batch lines too."""
    ceiling = settings.MAX_OUTPUT_TOKENS_CEILING
    return [
        f"body.{name} is {asked:,}, above this playground's ceiling of {ceiling:,} output tokens."
        for name in ("max_completion_tokens", "max_tokens")
        if ceiling and isinstance(asked := body.get(name), int) and asked > ceiling
    ]


def _custom_id_problem(line: dict[str, Any], seen: dict[str, int], number: int) -> str | None:
    custom_id = line.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id.strip():
        return "custom_id is missing (a non-empty string that names this request)."
    if custom_id in seen:
        return f"custom_id “{custom_id}” is already used on line {seen[custom_id]}."
    seen[custom_id] = number
    return None


def _url_problem(url: Any, endpoint: str) -> str | None:
    if url == endpoint:
        return None
    if url in ENDPOINTS:
        return f"url is “{url}”, but this batch runs “{endpoint}”: one endpoint per batch."
    return f"url {json.dumps(url)} is not supported: use {' or '.join(ENDPOINTS)}."


def _line_problems(line: Any, endpoint: str, seen: dict[str, int], number: int) -> list[str]:
    """Everything wrong with one parsed line, in the order the fields are written."""
    if not isinstance(line, dict):
        return ["Not a JSON object."]
    problems = [_custom_id_problem(line, seen, number)]
    if line.get("method") != "POST":
        problems.append(f"method must be “POST”, not {json.dumps(line.get('method'))}.")
    problems.append(_url_problem(line.get("url"), endpoint))
    found = [problem for problem in problems if problem]
    body = line.get("body")
    if not isinstance(body, dict):
        return [*found, "body is missing (an object holding the request)."]
    return found + _body_problems(body, endpoint)


def _decoded(raw: bytes | str) -> str | BadLine:
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    if len(raw) > MAX_BYTES:
        return BadLine(None, (f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.",))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return BadLine(line, ("Not UTF-8 text.",))


def _parsed(stripped: str) -> tuple[Any, str | None]:
    """The line's JSON value, or why it is not one."""
    try:
        return json_loads_bounded(stripped, max_depth=REQUEST_MAX_DEPTH, max_chars=MAX_BYTES), None
    except JsonRefused as refusal:
        return None, f"{refusal}"
    except json.JSONDecodeError as exc:
        return None, f"Not valid JSON: {exc.msg} (column {exc.colno})."


def jsonl_check(raw: bytes | str, *, endpoint: str) -> JsonlCheck:
    """Every line checked, and every problem of each line named; nothing may be sent unless
    `ok`. At most SHOWN_LINES bad lines are kept, however many there are."""
    text = _decoded(raw)
    if isinstance(text, BadLine):
        return JsonlCheck(bad_lines=(text,), bad_line_count=1, problem_count=1)
    lines: list[str] = []
    bad_lines: list[BadLine] = []
    bad_line_count = problem_count = 0
    models: Counter[str] = Counter()
    model_lines: dict[str, list[int]] = {}
    seen: dict[str, int] = {}

    def note(line: int | None, problems: list[str]) -> None:
        nonlocal bad_line_count, problem_count
        bad_line_count += 1
        problem_count += len(problems)
        if len(bad_lines) < SHOWN_LINES or line is None:  # the file's own problems, always
            bad_lines.append(BadLine(line, tuple(problems)))

    for number, given in enumerate(text.splitlines(), start=1):
        stripped = given.strip()
        if not stripped:
            continue
        line, unreadable = _parsed(stripped)
        problems = [unreadable] if unreadable else _line_problems(line, endpoint, seen, number)
        if problems:
            note(number, problems)
            continue
        lines.append(stripped)
        model = line["body"]["model"]
        models[model] += 1
        if models[model] <= SHOWN_MODEL_LINES:
            model_lines.setdefault(model, []).append(number)
    if not lines and not bad_line_count:
        note(None, ["The file is empty: it needs one request per line."])
    if len(lines) > MAX_LINES:
        note(None, [f"{len(lines):,} requests; a batch takes at most {MAX_LINES:,}."])
    return JsonlCheck(
        lines=tuple(lines),
        bad_lines=tuple(bad_lines),
        bad_line_count=bad_line_count,
        problem_count=problem_count,
        models=models,
        model_lines=model_lines,
    )


def _lines_named(numbers: list[int], count: int) -> str:
    """ "Line 4", "Lines 2, 5 and 7", "Lines 1, 2, 3, 4, 5 and 12 more"."""
    if count == 1:
        return f"Line {numbers[0]}"
    shown = ", ".join(str(number) for number in numbers)
    more = count - len(numbers)
    if more:
        return f"Lines {shown} and {more:,} more"
    head, _, last = shown.rpartition(", ")
    return f"Lines {head} and {last}"


def unlisted_model_problems(
    check: JsonlCheck, *, listed: list[str], wanted: str, provider_label: str
) -> list[str]:
    """What is wrong with lines asking for a model the provider does not list (`listed`, bare
    ids; `wanted` names the kind: "a chat model"): one message a model, naming its lines."""
    unlisted = [model for model in check.models if bare_model_id(model) not in listed]
    problems = [
        f"{_lines_named(check.model_lines[model], check.models[model])} "
        f"{'asks' if check.models[model] == 1 else 'ask'} for {model}, which is not {wanted} "
        f"of {provider_label}: nothing was sent."
        for model in unlisted[:SHOWN_UNLISTED_MODELS]
    ]
    if len(unlisted) > SHOWN_UNLISTED_MODELS:
        more = len(unlisted) - SHOWN_UNLISTED_MODELS
        problems.append(f"…and {more:,} more model{'s' if more > 1 else ''} it does not list.")
    return problems


def _template_line(*, number: int, endpoint: str, model: str, filled: str, system: str) -> str:
    if endpoint == EMBEDDINGS_ENDPOINT:
        body: dict[str, Any] = {"model": model, "input": filled}
    else:
        messages = [{"role": "system", "content": system}] if system else []
        messages.append({"role": "user", "content": filled})
        body = {"model": model, "messages": messages}
    line = {"custom_id": f"request-{number}", "method": "POST", "url": endpoint, "body": body}
    return json.dumps(line, ensure_ascii=False)


def jsonl_from_template(
    *, endpoint: str, model: str, template: str, inputs: list[str], system: str = ""
) -> str:
    """One request per input, the template's `{input}` replaced by it."""
    lines = [
        _template_line(
            number=number,
            endpoint=endpoint,
            model=model,
            filled=template.replace(INPUT_PLACEHOLDER, given),
            system=system,
        )
        for number, given in enumerate(inputs, start=1)
    ]
    return "".join(f"{line}\n" for line in lines)


def _escaped_bytes(text: str) -> int:
    """UTF-8 bytes of `text` inside a JSON string (escapes included, quotes not)."""
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8")) - 2


def jsonl_from_template_size(
    *, endpoint: str, model: str, template: str, inputs: list[str], system: str = ""
) -> int:
    """The UTF-8 size `jsonl_from_template` would build, counted without building it.

    JSON escapes each character on its own, so a line is its template line with an empty input
    (whose `custom_id` grows by a digit now and then) plus the escaped input once per `{input}`.
    """
    empty = _template_line(
        number=1,
        endpoint=endpoint,
        model=model,
        filled=template.replace(INPUT_PLACEHOLDER, ""),
        system=system,
    )
    per_line = len(empty.encode("utf-8")) + 1  # the newline
    placeholders = template.count(INPUT_PLACEHOLDER)
    return sum(
        per_line + len(str(number)) - 1 + placeholders * _escaped_bytes(given)
        for number, given in enumerate(inputs, start=1)
    )
