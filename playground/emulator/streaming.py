"""When each piece of a reply goes out, and the server-sent events that carry them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from playground.emulator.chat_request import ChatRequest
from playground.emulator.completion import chunk_body, google_extras
from playground.emulator.errors import dumps
from playground.emulator.pace import Pace
from playground.emulator.replies import Reply, usage_of
from playground.emulator.tokens import count_tokens, split_tokens

# A short first chunk gets something on screen quickly; later chunks carry a few tokens each,
# as Gemini sends text in pieces larger than one token.
FIRST_CHUNK_TOKENS = 2
CHUNK_TOKENS = 5


@dataclass(frozen=True, slots=True)
class TimedDelta:
    at: float  # seconds after the request
    step: int  # position within its choice: choices take turns when times are equal
    index: int
    delta: dict[str, Any]
    finish_reason: str | None = None


def token_groups(text: str) -> list[tuple[str, int]]:
    """The text in chunks, with the number of tokens in each."""
    tokens = split_tokens(text)
    groups = [tokens[:FIRST_CHUNK_TOKENS]] if tokens else []
    for start in range(FIRST_CHUNK_TOKENS, len(tokens), CHUNK_TOKENS):
        groups.append(tokens[start : start + CHUNK_TOKENS])
    return [("".join(group), len(group)) for group in groups]


def reply_deltas(reply: Reply) -> list[tuple[dict[str, Any], int, bool]]:
    """(delta, tokens, is first answer delta) in sending order, `role` on every one."""
    deltas = []
    for step, (text, tokens) in enumerate(token_groups(reply.thought)):
        content = "<thought>" + text if step == 0 else text
        delta = {"content": content, "role": "assistant", **google_extras(thought=True)}
        deltas.append((delta, tokens, False))
    if reply.tool_calls:
        return deltas + call_deltas(reply)
    for step, (text, tokens) in enumerate(token_groups(reply.answer) or [("", 0)]):
        content = "</thought>" + text if step == 0 and reply.thought else text
        deltas.append(({"content": content, "role": "assistant"}, tokens, step == 0))
    if reply.signature:
        # Gemini 3 signs a text reply in a trailing delta that has no text.
        delta = {"content": None, "role": "assistant", **google_extras(signature=reply.signature)}
        deltas.append((delta, 0, False))
    return deltas


def call_deltas(reply: Reply) -> list[tuple[dict[str, Any], int, bool]]:
    """Calls arrive complete and without `index`: Gemini 3, which signs its first call, sends
    one call per chunk; 2.5 sends all of them in one delta."""
    calls = [(call.wire(), count_tokens(call.name + call.arguments)) for call in reply.tool_calls]
    if any(call.signature for call in reply.tool_calls):
        return [
            ({"role": "assistant", "tool_calls": [wire]}, tokens, step == 0)
            for step, (wire, tokens) in enumerate(calls)
        ]
    delta = {"role": "assistant", "tool_calls": [wire for wire, _ in calls]}
    return [(delta, sum(tokens for _, tokens in calls), True)]


def choice_timeline(reply: Reply, pace: Pace) -> list[TimedDelta]:
    deltas = reply_deltas(reply)
    timeline = []
    at = pace.first_token_seconds
    for step, (delta, tokens, starts_answer) in enumerate(deltas):
        if starts_answer:
            at += pace.thinking_seconds(reply.thinking_tokens)
        if step > 0:
            at += pace.seconds_for(tokens)
        finish = reply.finish_reason if step == len(deltas) - 1 else None
        timeline.append(TimedDelta(at, step, reply.index, delta, finish))
    return timeline


def stream_timeline(replies: list[Reply], pace: Pace) -> list[TimedDelta]:
    merged = [item for reply in replies for item in choice_timeline(reply, pace)]
    return sorted(merged, key=lambda item: (item.at, item.step, item.index))


def reply_seconds(replies: list[Reply], pace: Pace) -> float:
    """How long the whole reply takes to generate: what a non-streaming caller waits."""
    return max(item.at for item in stream_timeline(replies, pace))


def sse_event(payload: dict[str, Any]) -> bytes:
    return f"data: {dumps(payload)}\n\n".encode()


async def sse_events(
    request: ChatRequest, replies: list[Reply], pace: Pace, *, reply_id: str, created: int
) -> AsyncIterator[bytes]:
    timeline = stream_timeline(replies, pace)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for position, item in enumerate(timeline):
        wait = started + item.at - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        is_last = position == len(timeline) - 1
        chunk = chunk_body(
            request,
            reply_id=reply_id,
            created=created,
            index=item.index,
            delta=item.delta,
            finish_reason=item.finish_reason,
            usage=usage_of(request, replies) if is_last and request.include_usage else None,
        )
        yield sse_event(chunk)
    yield b"data: [DONE]\n\n"
