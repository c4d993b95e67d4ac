from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model

from playground.chat.consumers import PlayConsumer


@pytest.fixture
def make_user(db) -> Callable[[str], object]:
    def make(username: str = "alice"):
        return get_user_model().objects.create_user(username=username, password="x" * 12)

    return make


class Socket:
    """A WebsocketCommunicator for a signed-in user, collecting every frame it receives."""

    def __init__(self, user: object):
        self.communicator = WebsocketCommunicator(PlayConsumer.as_asgi(), "/ws/play/")
        self.communicator.scope["user"] = user
        self.frames: list[str] = []

    async def __aenter__(self) -> Socket:
        connected, _ = await self.communicator.connect()
        assert connected
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.communicator.disconnect()

    async def send(self, **payload: object) -> None:
        await self.communicator.send_json_to(payload)

    async def receive_until(self, needle: str, timeout: float = 10.0) -> str:  # noqa: ASYNC109
        """Frames up to and including the first that contains `needle`."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{needle!r} not received; got:\n" + "\n".join(self.frames))
            frame = await self.communicator.receive_from(timeout=remaining)
            self.frames.append(frame)
            if needle in frame:
                return frame

    async def drain(self, quiet: float = 0.3) -> list[str]:
        """Every frame until the socket has been quiet for `quiet` seconds."""
        while not await self.communicator.receive_nothing(timeout=quiet):
            self.frames.append(await self.communicator.receive_from())
        return self.frames


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
