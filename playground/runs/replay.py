"""A recorded timeline played back as the events the relay takes, at the recorded pace.

`replayed_events` is a stream like `llm.stream_reply`'s, so a replay goes through the same
relay, fragments and figures as a live reply. The clock and the sleep are injected so that the
pacing is tested without waiting.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any

from playground.llm import AnswerDelta, FinishEvent, ThoughtDelta, ToolCallEvent, UsageEvent

SPEEDS = (1, 2, 4)
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[Any]]


def timeline_fragments(timeline: Mapping[str, Any] | None) -> list[tuple[str, int, str]]:
    """The well-formed fragments of a stored timeline, in order (others are passed over)."""
    fragments = (timeline or {}).get("fragments")
    if not isinstance(fragments, list):
        return []
    kept = []
    for fragment in fragments:
        if (
            isinstance(fragment, list) and len(fragment) == 3
            and isinstance(fragment[0], str) and isinstance(fragment[2], str)
            and isinstance(fragment[1], int) and not isinstance(fragment[1], bool)
            and fragment[1] >= 0
        ):  # fmt: skip
            kept.append((fragment[0], fragment[1], fragment[2]))
    return sorted(kept, key=lambda fragment: fragment[1])


def fragment_events(fragments: list[tuple[str, int, str]]) -> Iterator[tuple[int, object]]:
    """Each fragment as the event it was recorded from, with its offset."""
    calls = 0
    for kind, ms, text in fragments:
        event = _event(kind, text, calls)
        if isinstance(event, ToolCallEvent):
            calls += 1
        if event is not None:
            yield ms, event


def _event(kind: str, text: str, calls: int) -> object | None:
    match kind:
        case "answer":
            return AnswerDelta(text=text)
        case "thought":
            return ThoughtDelta(text=text)
        case "finish":
            return FinishEvent(choice=0, reason=text)
        case "usage" | "tool_call":
            try:
                data = json.loads(text)
            except ValueError:
                return None
            if not isinstance(data, dict):
                return None
            return _usage(data) if kind == "usage" else _tool_call(data, calls)
    return None


def _usage(data: dict[str, Any]) -> UsageEvent:
    def count(name: str) -> int:
        value = data.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    names = ("prompt_tokens", "completion_tokens", "total_tokens", "thinking_tokens")
    return UsageEvent(*(count(name) for name in names))


def _tool_call(data: dict[str, Any], position: int) -> ToolCallEvent:
    function = data.get("function") if isinstance(data.get("function"), dict) else {}
    extra = data.get("extra_content")
    return ToolCallEvent(
        choice=0, position=position, call_id=str(data.get("id") or ""),
        name=str(function.get("name") or ""), arguments=str(function.get("arguments") or ""),
        extra_content=extra if isinstance(extra, dict) else None,
    )  # fmt: skip


def due_times(offsets: list[int], *, speed: float, start: float) -> list[float]:
    """When each fragment is due on a clock that reads `start` as the replay begins."""
    return [start + ms / 1000 / speed for ms in offsets]


async def replayed_events(
    timeline: Mapping[str, Any] | None,
    *,
    speed: float = 1,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> AsyncIterator[object]:
    """The recorded events at the recorded pace (`speed` times faster), then the end."""
    timed = list(fragment_events(timeline_fragments(timeline)))
    start = clock()
    dues = due_times([ms for ms, _ in timed], speed=speed, start=start)
    for due, (_, event) in zip(dues, timed, strict=True):
        wait = due - clock()
        if wait > 0:
            await sleep(wait)
        yield event
    end_ms = (timeline or {}).get("end_ms")
    if isinstance(end_ms, int) and not isinstance(end_ms, bool):
        wait = start + end_ms / 1000 / speed - clock()
        if wait > 0:
            await sleep(wait)
