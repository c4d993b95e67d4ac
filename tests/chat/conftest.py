from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from channels.db import database_sync_to_async

from playground.chat.consumers import PlayConsumer
from tests.sockets import ConsumerSocket


class Socket(ConsumerSocket):
    """A signed-in user's socket on /ws/play/, keeping every frame."""

    consumer = PlayConsumer
    path = "/ws/play/"


def send_payload(prompt: str, **overrides: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "action": "send",
        "prompt": prompt,
        "model": "gemini-2.5-flash",
        "n": "1",
        "stream": "on",
        "include_thoughts": "on",
        "include_usage": "on",
        "conversation": "",
        "HEADERS": {"HX-Request": "true"},
    }
    payload.update(overrides)
    return payload


async def fake_stream(
    pieces: list[str], delay: float, closed: list[float]
) -> AsyncIterator[object]:
    """Stands in for llm.stream_reply; records when it is closed."""
    from playground.llm.streaming import AnswerDelta, FinishEvent

    try:
        for piece in pieces:
            await asyncio.sleep(delay)
            yield AnswerDelta(text=piece)
        yield FinishEvent(choice=0, reason="stop")
    finally:
        closed.append(time.monotonic())


db_async = database_sync_to_async
