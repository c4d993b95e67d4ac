"""Timed clients for the benchmark: the openai SDK straight at the emulator ("direct"), and
WebSocket clients driving the playground's chat consumer ("relayed")."""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.request import HTTPCookieProcessor, build_opener

import websockets

from playground.llm.client import client_for
from playground.llm.providers import Provider

DELTA_MARK = 'hx-swap-oob="beforeend">'
REFUSAL = re.compile(
    r'id="chat-notice"[^>]*>[^<\s][^<]*|id="composer-errors"[^>]*>\s*<ul>.*?</ul>', re.S
)
CONVERSATION_ID = re.compile(r'id="conversation-id" value="(\d+)"')
FINAL_MARK = 'hx-swap-oob="outerHTML"'


@dataclass(frozen=True)
class StreamTiming:
    ttft: float  # seconds from sending to the first text
    seconds: float  # sending to the last chunk or the final swap
    chunks: int  # upstream chunks (direct) or socket frames carrying text (relayed)
    text_bytes: int


async def direct_stream(emulator_url: str, *, model: str, prompt: str) -> StreamTiming:
    client = client_for(Provider("direct", "Direct", emulator_url, is_emulator=True))
    started = time.perf_counter()
    first, chunks, size = None, 0, 0
    stream = await client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": prompt}], stream=True
    )
    async with stream:
        async for chunk in stream:
            text = chunk.choices[0].delta.content if chunk.choices else None
            if text:
                first = first or time.perf_counter()
                size += len(text.encode())
            chunks += 1
    ended = time.perf_counter()
    return StreamTiming((first or ended) - started, ended - started, chunks, size)


def session_cookie(login_link: str) -> str:
    """Follow a one-time link as a browser would; the session cookie it sets."""
    jar = CookieJar()
    build_opener(HTTPCookieProcessor(jar)).open(login_link, timeout=30).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


class RelayedClient:
    """One open socket on the chat consumer, able to run prompts one after another."""

    def __init__(self, base_url: str, cookie: str):
        self.url = base_url.replace("http://", "ws://") + "/ws/play/"
        self.headers = {"Cookie": cookie}
        self.origin = base_url
        self.socket: websockets.ClientConnection | None = None
        self.last_conversation = ""

    async def open(self) -> RelayedClient:
        self.socket = await websockets.connect(
            self.url, additional_headers=self.headers, origin=self.origin, max_size=None
        )
        return self

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    async def run(self, *, model: str, prompt: str, conversation: str = "") -> StreamTiming:
        assert self.socket is not None
        payload = {
            "action": "send", "prompt": prompt, "model": model, "n": "1", "stream": "on",
            "include_usage": "on", "conversation": conversation,
        }  # fmt: skip
        started = time.perf_counter()
        await self.socket.send(json.dumps(payload))
        first, frames, size = None, 0, 0
        while True:
            frame = await self.socket.recv()
            if match := CONVERSATION_ID.search(frame):
                self.last_conversation = match.group(1)
            if DELTA_MARK in frame and "-answer" in frame:
                first = first or time.perf_counter()
                frames += 1
                size += len(frame)
            if FINAL_MARK in frame:
                break
            if refusal := REFUSAL.search(frame):
                raise RuntimeError(f"the playground refused the prompt: {refusal.group(0)}")
        ended = time.perf_counter()
        return StreamTiming((first or ended) - started, ended - started, frames, size)


async def gather_timed(coroutines: list) -> tuple[list[StreamTiming], float]:
    started = time.perf_counter()
    results = await asyncio.gather(*coroutines)
    return list(results), time.perf_counter() - started
