"""Served playgrounds for the reliability tests, and clients that talk to them as a browser does."""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import websockets

from playground.benchmark.probes import session_cookie
from tests.servers import ServedPlayground

CONVERSATION_ID = re.compile(r'id="conversation-id" value="(\d+)"')


# A served test site keeps to its own data folder, whatever engines this process was given.
OWN_ENGINES = {"DATABASE_URL": "sqlite://", "REDIS_URL": ""}


def served_with_faults(data_dir: Path, **env: str) -> ServedPlayground:
    return ServedPlayground(
        data_dir=data_dir, env={**OWN_ENGINES, "EMULATOR_FAULTS_ENABLED": "true", **env}
    )


def fault_tag() -> str:
    return uuid.uuid4().hex[:12]


def fault_log(server: ServedPlayground, tag: str) -> list[dict[str, Any]]:
    """What the emulator noted about the faulted requests with this tag."""
    request = Request(
        f"{server.emulator_url}_faults?tag={tag}", headers={"Authorization": "Bearer test"}
    )
    with urlopen(request, timeout=10) as response:
        return json.loads(response.read())["data"]


class PageSocket:
    """A browser's socket on a served playground: signed in, same origin, every frame kept."""

    def __init__(self, server: ServedPlayground, cookie: str, path: str = "/ws/play/"):
        self.url = server.base_url.replace("http://", "ws://") + path
        self.origin = server.base_url
        self.cookie = cookie
        self.frames: list[str] = []
        self.socket: websockets.ClientConnection | None = None

    @classmethod
    def signed_in_cookie(cls, server: ServedPlayground) -> str:
        return session_cookie(server.login_link())

    async def __aenter__(self) -> PageSocket:
        self.socket = await websockets.connect(
            self.url,
            additional_headers={"Cookie": self.cookie},
            origin=self.origin,
            max_size=None,
            open_timeout=20,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    async def send(self, **payload: object) -> None:
        assert self.socket is not None
        await self.socket.send(json.dumps(payload))

    async def receive_until(self, needle: str, timeout: float = 30.0) -> str:  # noqa: ASYNC109
        assert self.socket is not None
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{needle!r} not received; got:\n" + "\n".join(self.frames))
            try:
                frame = await asyncio.wait_for(self.socket.recv(), remaining)
            except TimeoutError:
                raise AssertionError(
                    f"{needle!r} not received; got:\n" + "\n".join(self.frames)
                ) from None
            assert isinstance(frame, str)
            self.frames.append(frame)
            if needle in frame:
                return frame

    def conversation_id(self) -> str:
        for frame in reversed(self.frames):
            if match := CONVERSATION_ID.search(frame):
                return match.group(1)
        return ""


def chat_payload(prompt: str, *, conversation: str = "", model: str = "gemini-2.5-flash",
                 **extra: str) -> dict[str, str]:  # fmt: skip
    return {
        "action": "send", "prompt": prompt, "model": model, "n": "1", "stream": "on",
        "include_thoughts": "on", "include_usage": "on", "conversation": conversation, **extra,
    }  # fmt: skip


class UvicornPlayground(ServedPlayground):
    """The playground under uvicorn, sharing a served playground's data folder (and so its
    database, secret key and accounts): a second worker of the same site."""

    def start(self, timeout: float = 30.0) -> UvicornPlayground:
        import subprocess
        import sys
        import threading

        from tests.servers import REPO

        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "playground.asgi:application",
             "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log"],
            cwd=REPO, env=self.process_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        threading.Thread(target=self._drain, daemon=True).start()
        self._wait_for_port(time.monotonic() + timeout)
        return self
