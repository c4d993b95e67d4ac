"""A WebsocketCommunicator for a signed-in user that keeps every frame it receives."""

from __future__ import annotations

import time

from channels.testing import WebsocketCommunicator


class ConsumerSocket:
    consumer: type
    path: str

    def __init__(self, user: object, **initkwargs: object):
        """`initkwargs` inject the consumer's dependencies (`stream`, `model_ids`)."""
        self.communicator = WebsocketCommunicator(self.consumer.as_asgi(**initkwargs), self.path)
        self.communicator.scope["user"] = user
        self.frames: list[str] = []

    async def __aenter__(self) -> ConsumerSocket:
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
