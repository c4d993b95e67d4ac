"""Stand-ins for `llm.stream_reply`: typed events at a set pace, noting when they are closed,
so a test can tell that Stop or a disconnect closed the upstream stream."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator


async def fake_stream(
    pieces: list[str], delay: float, closed: list[float]
) -> AsyncIterator[object]:
    """A chat reply: answer pieces at a pace, then stop; notes the time it was closed."""
    from playground.llm.streaming import AnswerDelta, FinishEvent

    try:
        for piece in pieces:
            await asyncio.sleep(delay)
            yield AnswerDelta(text=piece)
        yield FinishEvent(choice=0, reason="stop")
    finally:
        closed.append(time.monotonic())


async def scripted_stream(
    pieces: list[str], delay: float, closed: list[str], name: str, *, fail_after: int | None = None
) -> AsyncIterator[object]:
    """A compare pane's reply: a thought, answer pieces at a pace (or a 429 at `fail_after`),
    usage, then stop; notes `name` when closed."""
    from playground.llm.errors import UpstreamError
    from playground.llm.streaming import AnswerDelta, FinishEvent, ThoughtDelta, UsageEvent

    try:
        yield ThoughtDelta(text=f"thinking about {name} ")
        for position, piece in enumerate(pieces):
            if fail_after is not None and position == fail_after:
                raise UpstreamError(
                    "Resource has been exhausted.",
                    status_code=429,
                    gemini_status="RESOURCE_EXHAUSTED",
                )
            await asyncio.sleep(delay)
            yield AnswerDelta(text=piece)
        yield UsageEvent(
            prompt_tokens=5,
            completion_tokens=len(pieces),
            total_tokens=5 + len(pieces) + 7,
            thinking_tokens=7,
        )
        yield FinishEvent(choice=0, reason="stop")
    finally:
        closed.append(name)
