"""The benchmark's three timed clients, equally cheap, each timing the first ANSWER TEXT:

- direct: the raw SSE client straight at the emulator;
- floor: a WebSocket on the minimal relay (`floor.py`), which streams from the same emulator;
- playground: a WebSocket on the chat consumer, reading raw frames (no htmx, no DOM).

Each probe owns one connection (a socket per simulated page) and runs prompts one after
another on it, as a person would.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Protocol
from urllib.request import HTTPCookieProcessor, build_opener

import websockets
from websockets.asyncio.client import ClientConnection

from playground.benchmark.rawsse import SseConnection, answer_text

MODEL = "gemini-2.0-flash"  # no thinking: the emulator's answer starts at once
# An element of the reply's answer with text appended to it. The acknowledgement frame also
# appends (the new turns, to `#transcript`), but to no `-answer` element and with no text.
ANSWER_TEXT = re.compile(r'id="[\w-]+-answer"[^>]*hx-swap-oob="beforeend"[^>]*>[^<]')
FINAL_MARK = 'hx-swap-oob="outerHTML"'
REFUSAL = re.compile(
    r'id="chat-notice"[^>]*>[^<\s][^<]*|id="composer-errors"[^>]*>\s*<ul>.*?</ul>', re.S
)
CONVERSATION_ID = re.compile(r'id="conversation-id" value="(\d+)"')
RECEIVE_TIMEOUT = 120.0


@dataclass(frozen=True)
class StreamTiming:
    ttft: float  # seconds from sending to the first answer text
    seconds: float  # sending to the end of the reply (the final swap, for the playground)
    frames: int  # pieces carrying answer text as the client received them
    text_bytes: int  # answer text received (direct) or frame bytes (relays)


class Probe(Protocol):
    async def open(self) -> object: ...

    async def run(self, prompt: str, *, first_text_only: bool = False) -> StreamTiming: ...

    async def close(self) -> None: ...


class DirectProbe:
    def __init__(self, emulator_url: str) -> None:
        self.connection = SseConnection(emulator_url)

    async def open(self) -> SseConnection:
        await self.connection.connect()
        return self.connection

    async def run(self, prompt: str, *, first_text_only: bool = False) -> StreamTiming:
        started = time.perf_counter()
        first, frames, size = None, 0, 0
        async for chunk in self.connection.chat_stream(model=MODEL, prompt=prompt):
            if text := answer_text(chunk):
                first = first or time.perf_counter()
                frames += 1
                size += len(text.encode())
                if first_text_only:
                    break  # drops the connection; the next run opens another
        ended = time.perf_counter()
        return StreamTiming((first or ended) - started, ended - started, frames, size)

    async def close(self) -> None:
        await self.connection.close()


class _SocketProbe:
    def __init__(self, url: str, headers: dict[str, str] | None = None, origin: str = ""):
        self.url, self.headers, self.origin = url, headers or {}, origin
        self.socket: ClientConnection | None = None

    async def open(self) -> ClientConnection:
        if self.socket is None:
            self.socket = await websockets.connect(
                self.url,
                additional_headers=self.headers,
                origin=self.origin or None,  # type: ignore[arg-type]
                max_size=None,
                open_timeout=60,
                # No keep-alive pings: on a saturated machine a late pong would end the socket.
                ping_interval=None,
            )
        return self.socket

    async def receive(self) -> str:
        assert self.socket is not None
        frame = await asyncio.wait_for(self.socket.recv(), RECEIVE_TIMEOUT)
        return frame if isinstance(frame, str) else frame.decode()

    async def close(self) -> None:
        if self.socket is not None:
            socket, self.socket = self.socket, None
            await socket.close()


class FloorProbe(_SocketProbe):
    async def run(self, prompt: str, *, first_text_only: bool = False) -> StreamTiming:
        socket = await self.open()
        started = time.perf_counter()
        await socket.send(json.dumps({"model": MODEL, "prompt": prompt}))
        first, frames, size = None, 0, 0
        while not (frame := await self.receive()).startswith('{"done"'):
            first = first or time.perf_counter()
            frames += 1
            size += len(frame)
            if first_text_only:
                await self.close()  # the floor relay has no Stop: closing it is its stop
                break
        ended = time.perf_counter()
        return StreamTiming((first or ended) - started, ended - started, frames, size)


class PlaygroundProbe(_SocketProbe):
    """One open page: a socket on the chat consumer, sending from the composer."""

    def __init__(self, base_url: str, cookie: str) -> None:
        super().__init__(
            base_url.replace("http://", "ws://") + "/ws/play/", {"Cookie": cookie}, base_url
        )
        self.last_conversation = ""

    async def run(
        self, prompt: str, *, first_text_only: bool = False, conversation: str = ""
    ) -> StreamTiming:
        socket = await self.open()
        payload = {
            "action": "send", "prompt": prompt, "model": MODEL, "n": "1", "stream": "on",
            "include_usage": "on", "conversation": conversation,
        }  # fmt: skip
        started = time.perf_counter()
        await socket.send(json.dumps(payload))
        first, frames, size = None, 0, 0
        while True:
            frame = await self.receive()
            if ANSWER_TEXT.search(frame):
                if first is None:
                    first = time.perf_counter()
                    if first_text_only:
                        await socket.send(json.dumps({"action": "stop"}))
                frames += 1
                size += len(frame)
            elif match := CONVERSATION_ID.search(frame):
                self.last_conversation = match.group(1)
            if FINAL_MARK in frame:
                break
            if refusal := REFUSAL.search(frame):
                raise RuntimeError(f"the playground refused the prompt: {refusal.group(0)}")
        ended = time.perf_counter()
        return StreamTiming((first or ended) - started, ended - started, frames, size)


def session_cookie(login_link: str) -> str:
    """Follow a one-time link as a browser would; the session cookie it sets."""
    jar = CookieJar()
    build_opener(HTTPCookieProcessor(jar)).open(login_link, timeout=30).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


async def run_together(
    probes: list[Probe], prompt: str, *, first_text_only: bool = False
) -> tuple[list[StreamTiming], float]:
    """Every probe runs `prompt` at once; their timings and the wall time of the lot."""
    started = time.perf_counter()
    timings = await asyncio.gather(
        *(probe.run(prompt, first_text_only=first_text_only) for probe in probes)
    )
    return list(timings), time.perf_counter() - started
