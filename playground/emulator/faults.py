"""Test-only fault injection for the chat endpoint: upstream trouble on purpose.

A chat request whose last user message holds a marker `[emulator-fault:<kind>]` (or
`[emulator-fault:<kind>:<tag>]`) is answered badly, so tests can check that the playground
survives what a real endpoint sometimes does. Off unless EMULATOR_FAULTS_ENABLED is set in the
server's environment: with the setting off a marker is ordinary text, so nothing a user types can
switch a fault on. Only the last user message counts, so a conversation goes on normally after a
failed turn.

Kinds (append `-once` to fail only the first request with a given tag):
- `429`, `500`, `503`: Gemini's list-wrapped error at once; `429-retry-<seconds>` is a 429 whose
  body asks to wait (RetryInfo plus "Please retry in Ns.", as newer Gemini bodies do).
- `reset`: some answer text, then the connection is reset (resets.py).
- `stall`: some answer text, then no byte more until the reader leaves.
- `malformed`: some answer text, then an event that is not JSON.
- `no-done`: some answer text, then the body ends: no finish_reason and no `[DONE]`.
- `big-chunk`: one chunk carrying about 1 MB of answer text, then a normal end.
- `slow-thinking`: thought summaries trickle in for 2.4 s before the answer.
- `malformed-call`: thought summaries, then a last chunk with `content` null and Gemini's
  non-standard `finish_reason` "function_call_filter: MALFORMED_FUNCTION_CALL" (no answer).
- `slow`: 1,200 numbered pieces, 20 a second (for stopping, killing and leaving mid-reply).
- `count-<n>`: n numbered pieces at once ("w1 ", "w2 ", ...): a reader can tell one lost,
  doubled or swapped.

Every faulted request is written to a log (`GET _faults`, also test-only) with its tag, when it
came and when its stream was closed and why: tests read how often the SDK retried and how quickly
a stream was closed after the reader left.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from playground.emulator.access import emulator_endpoint
from playground.emulator.chat_request import ChatRequest
from playground.emulator.completion import chunk_body, google_extras
from playground.emulator.errors import GeminiError, json_response
from playground.emulator.pace import Pace
from playground.emulator.replies import Reply, usage_of
from playground.emulator.resets import reset_redirect
from playground.emulator.streaming import sse_event, stream_timeline

MARKER = re.compile(
    r"\[emulator-fault:(?P<kind>[a-z0-9.-]{1,40})(?::(?P<tag>[A-Za-z0-9_-]{1,64}))?\]"
)
QUOTA_MESSAGE = "Resource has been exhausted (e.g. check quota)."
RETRY_KIND = re.compile(r"^429-retry-(?P<seconds>\d{1,4}(?:\.\d{1,3})?)$")
COUNT_KIND = re.compile(r"^count-(?P<pieces>\d{1,5})$")
# How many answer-carrying chunks a broken stream sends before it breaks.
ANSWER_CHUNKS_BEFORE_FAULT = 2
STALL_SECONDS = 600.0
BIG_CHUNK_BYTES = 1024 * 1024
SLOW_THINKING_PIECES = 8
SLOW_THINKING_GAP_SECONDS = 0.3
SLOW_PIECES = 1200
SLOW_GAP_SECONDS = 0.05
LOG: deque[dict[str, Any]] = deque(maxlen=1000)

STATUS_FAULTS = {
    "429": (429, QUOTA_MESSAGE),
    "500": (
        500,
        "An internal error has occurred. Please retry or report in "
        "https://developers.generativeai.google/guide/troubleshooting",
    ),
    "503": (503, "The model is overloaded. Please try again later."),
}
STREAM_FAULTS = frozenset(
    {
        "reset",
        "stall",
        "malformed",
        "no-done",
        "big-chunk",
        "slow-thinking",
        "slow",
        "malformed-call",
    }
)


@dataclass(frozen=True, slots=True)
class Fault:
    kind: str
    tag: str
    # `<kind>-once`: only the first request with this tag fails; the next ones are answered.
    once: bool = False

    @property
    def is_known(self) -> bool:
        return (
            self.kind in STATUS_FAULTS
            or self.kind in STREAM_FAULTS
            or bool(RETRY_KIND.match(self.kind) or COUNT_KIND.match(self.kind))
        )


def fault_of(chat: ChatRequest) -> Fault | None:
    """The fault the request asks for, when faults are switched on; None otherwise."""
    if not settings.EMULATOR_FAULTS_ENABLED:
        return None
    match = MARKER.search(chat.conversation.last_question)
    if match is None:
        return None
    kind = match.group("kind")
    fault = Fault(kind.removesuffix("-once"), match.group("tag") or "", kind.endswith("-once"))
    if not fault.is_known:
        raise GeminiError(400, f"Unknown emulator fault {kind!r}.")
    if fault.once and any(e["kind"] == fault.kind and e["tag"] == fault.tag for e in LOG):
        _log(fault, answered=True)
        return None
    return fault


def _log(fault: Fault, *, answered: bool = False) -> dict[str, Any]:
    """`answered`: a `-once` fault already spent, so this request got a normal reply."""
    entry = {"kind": fault.kind, "tag": fault.tag, "at": time.time(), "closed_at": None,
             "ended": "answered" if answered else None}  # fmt: skip
    LOG.append(entry)
    return entry


def quota_error(seconds: float) -> GeminiError:
    """Gemini's newer 429 bodies name the delay in words and in a RetryInfo detail."""
    message = (
        "You exceeded your current quota, please check your plan and billing details. For more "
        "information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. "
        f"Please retry in {seconds:g}s."
    )
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            "violations": [
                {
                    "quotaMetric": "generativelanguage.googleapis.com/"
                    "generate_content_free_tier_requests"
                }
            ],
        },
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{int(seconds)}s"},
    ]
    return GeminiError(429, message, details)


async def fault_response(
    fault: Fault, chat: ChatRequest, replies: list[Reply], *, reply_id: str, created: int
) -> HttpResponse | StreamingHttpResponse:
    """The bad answer the fault asks for (raises GeminiError for the HTTP status faults)."""
    entry = _log(fault)
    if fault.kind in STATUS_FAULTS:
        code, message = STATUS_FAULTS[fault.kind]
        raise GeminiError(code, message)
    if match := RETRY_KIND.match(fault.kind):
        raise quota_error(float(match.group("seconds")))
    if not chat.stream:
        raise GeminiError(400, f"Emulator fault {fault.kind!r} needs a streamed request.")
    chunks = _chunks(chat, replies, reply_id=reply_id, created=created)
    if fault.kind == "reset":
        return await reset_redirect([sse_event(chunk) for chunk in _cut(chunks)], entry)
    if match := COUNT_KIND.match(fault.kind):
        chunks = _counted(chat, int(match.group("pieces")), reply_id, created)
        body = _logged(_paced(chunks, gap=0.0, done=True), entry)
    else:
        body = _logged(STREAM_BODIES[fault.kind](chat, chunks), entry)
    response = StreamingHttpResponse(body, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def _chunks(
    chat: ChatRequest, replies: list[Reply], *, reply_id: str, created: int
) -> list[dict[str, Any]]:
    timeline = stream_timeline(replies, Pace(0.0, 0.0))
    usage = usage_of(chat, replies) if chat.include_usage else None
    return [
        chunk_body(
            chat,
            reply_id=reply_id,
            created=created,
            index=item.index,
            delta=item.delta,
            finish_reason=item.finish_reason,
            usage=usage if position == len(timeline) - 1 else None,
        )
        for position, item in enumerate(timeline)
    ]


def _carries_answer(chunk: dict[str, Any]) -> bool:
    delta = chunk["choices"][0]["delta"]
    thought = delta.get("extra_content", {}).get("google", {}).get("thought")
    return bool(delta.get("content")) and not thought


def _cut(chunks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chunks a broken stream sends: some answer text, never the last (finishing) chunk."""
    seen = 0
    for position, chunk in enumerate(chunks[:-1]):
        seen += _carries_answer(chunk)
        if seen == ANSWER_CHUNKS_BEFORE_FAULT:
            return chunks[: position + 1]
    return chunks[:-1] or chunks[:1]


async def _paced(chunks: list[dict[str, Any]], *, gap: float, done: bool) -> AsyncIterator[bytes]:
    for position, chunk in enumerate(chunks):
        if gap and position:
            await asyncio.sleep(gap)
        yield sse_event(chunk)
    if done:
        yield b"data: [DONE]\n\n"


async def _stall(chat: ChatRequest, chunks: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    async for event in _paced(_cut(chunks), gap=0.0, done=False):
        yield event
    await asyncio.sleep(STALL_SECONDS)  # no byte more, until the reader gives up and leaves


async def _malformed(chat: ChatRequest, chunks: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    async for event in _paced(_cut(chunks), gap=0.0, done=False):
        yield event
    yield b'data: {"choices": [{"delta": {"content": "half a chunk\n\n'
    yield b"data: [DONE]\n\n"


async def _no_done(chat: ChatRequest, chunks: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    # The body ends cleanly, but before the finishing chunk and without `[DONE]`.
    async for event in _paced(_cut(chunks), gap=0.0, done=False):
        yield event


def _big_text() -> str:
    line = "A very long answer arrives in a single chunk of about one megabyte of text.\n"
    return line * (BIG_CHUNK_BYTES // len(line))


async def _big_chunk(chat: ChatRequest, chunks: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    first_answer = next((i for i, c in enumerate(chunks) if _carries_answer(c)), 0)
    big = dict(chunks[first_answer])
    choice = dict(big["choices"][0])
    choice["delta"] = {**choice["delta"], "content": "\n\n" + _big_text()}
    choice.pop("finish_reason", None)
    big["choices"] = [choice]
    big.pop("usage", None)
    sent = [*chunks[: first_answer + 1], big, *chunks[first_answer + 1 :]]
    async for event in _paced(sent, gap=0.0, done=True):
        yield event


async def _slow_thinking(chat: ChatRequest, chunks: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    """Thought summaries trickle in for a long while; then the answer comes at once."""
    template = chunks[0]
    for piece in range(SLOW_THINKING_PIECES):
        text = ("<thought>" if piece == 0 else "") + f"Still thinking, step {piece + 1}. "
        delta = {"content": text, "role": "assistant", **google_extras(thought=True)}
        yield sse_event({**template, "choices": [{"delta": delta, "index": 0}]})
        await asyncio.sleep(SLOW_THINKING_GAP_SECONDS)
    answer = [c for c in chunks if not _is_thought(c)]
    first = answer[0]["choices"][0]["delta"]
    if isinstance(first.get("content"), str) and not first["content"].startswith("</thought>"):
        first["content"] = "</thought>" + first["content"]
    async for event in _paced(answer, gap=0.0, done=True):
        yield event


MALFORMED_CALL_REASON = "function_call_filter: MALFORMED_FUNCTION_CALL"


async def _malformed_call(chat: ChatRequest, chunks: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    """Thoughts, then the end Gemini sends when the model's function call did not parse."""
    template = chunks[0]
    thoughts = [c for c in chunks if _is_thought(c)]
    if not thoughts:
        delta = {"content": "<thought>Deciding which tool to call.", "role": "assistant",
                 **google_extras(thought=True)}  # fmt: skip
        thoughts = [{**template, "choices": [{"delta": delta, "index": 0}]}]
    last = {"content": None, "role": "assistant"}
    end = {**template, "choices": [{"delta": last, "finish_reason": MALFORMED_CALL_REASON,
                                    "index": 0}]}  # fmt: skip
    if "usage" in chunks[-1]:
        end["usage"] = chunks[-1]["usage"]
    async for event in _paced([*thoughts, end], gap=0.0, done=True):
        yield event


def _is_thought(chunk: dict[str, Any]) -> bool:
    delta = chunk["choices"][0]["delta"]
    return bool(delta.get("extra_content", {}).get("google", {}).get("thought")) and bool(
        delta.get("content")
    )


async def _slow(chat: ChatRequest, chunks: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    template = chunks[0]
    counted = _counted_from(template, SLOW_PIECES, chat)
    async for event in _paced(counted, gap=SLOW_GAP_SECONDS, done=True):
        yield event


def _counted(chat: ChatRequest, pieces: int, reply_id: str, created: int) -> list[dict[str, Any]]:
    template = chunk_body(chat, reply_id=reply_id, created=created, index=0, delta={})
    return _counted_from(template, pieces, chat)


def _counted_from(template: dict[str, Any], pieces: int, chat: ChatRequest) -> list[dict[str, Any]]:
    """`pieces` chunks saying "w1 ", "w2 "...: a reader can tell one lost, doubled or swapped."""
    chunks = []
    for number in range(1, pieces + 1):
        choice: dict[str, Any] = {"delta": {"content": f"w{number} ", "role": "assistant"},
                                  "index": 0}  # fmt: skip
        if number == pieces:
            choice["finish_reason"] = "stop"
        chunk = {key: value for key, value in template.items() if key != "usage"}
        chunk["choices"] = [choice]
        if number == pieces and chat.include_usage:
            chunk["usage"] = {"completion_tokens": pieces, "prompt_tokens": 1,
                              "total_tokens": pieces + 1}  # fmt: skip
        chunks.append(chunk)
    return chunks


StreamBody = Callable[[ChatRequest, list[dict[str, Any]]], AsyncIterator[bytes]]
STREAM_BODIES: dict[str, StreamBody] = {
    "stall": _stall,
    "malformed": _malformed,
    "no-done": _no_done,
    "big-chunk": _big_chunk,
    "slow-thinking": _slow_thinking,
    "slow": _slow,
    "malformed-call": _malformed_call,
}


async def _logged(body: AsyncIterator[bytes], entry: dict[str, Any]) -> AsyncIterator[bytes]:
    """Notes when and how the stream ended: sent whole, broken on purpose, or its reader left."""
    ended = "client-left"
    try:
        async for event in body:
            yield event
        ended = "complete"
    finally:
        entry["closed_at"] = time.time()
        entry["ended"] = ended


@emulator_endpoint(methods=("GET",))
async def fault_log(request: HttpRequest) -> HttpResponse:
    if not settings.EMULATOR_FAULTS_ENABLED:
        raise GeminiError(404, "Fault injection is off (EMULATOR_FAULTS_ENABLED).")
    tag = request.GET.get("tag", "")
    return json_response({"data": [entry for entry in LOG if not tag or entry["tag"] == tag]})
