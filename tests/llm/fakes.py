"""The real openai SDK pointed at a scripted upstream (`httpx2.MockTransport`)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import httpx2
from openai import AsyncOpenAI

from playground.llm.events import (
    AnswerDelta,
    Event,
    FinishEvent,
    SignatureEvent,
    ThoughtDelta,
    ToolCallEvent,
    UsageEvent,
)

BASE_URL = "https://gemini.test/v1beta/openai/"
Handler = Callable[[httpx2.Request], httpx2.Response]


def fake_client(handler: Handler) -> AsyncOpenAI:
    return AsyncOpenAI(
        api_key="test-key",
        base_url=BASE_URL,
        max_retries=0,
        http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)),
    )


class RecordingClient:
    """A fake upstream that answers every request the same way and keeps what was sent."""

    def __init__(self, answer: Callable[[], httpx2.Response]) -> None:
        self.sent: list[dict[str, Any]] = []
        self.requests: list[httpx2.Request] = []
        self.client = fake_client(self._handle)
        self._answer = answer

    def _handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        self.sent.append(json.loads(request.content))
        return self._answer()


def sse_response(body: bytes) -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body)


def json_response(body: object, status: int = 200) -> httpx2.Response:
    return httpx2.Response(status, json=body)


class SlowStream(httpx2.AsyncByteStream):
    """An SSE body that sends `events` with a pause between them and records its closing."""

    def __init__(self, events: Iterable[str], *, pause: float = 0.05, forever: bool = False):
        self.events = list(events)
        self.pause = pause
        self.forever = forever
        self.sent = 0
        self.closed = asyncio.Event()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < len(self.events) or self.forever:
            event = self.events[min(self.sent, len(self.events) - 1)]
            self.sent += 1
            yield f"data: {event}\n\n".encode()
            await asyncio.sleep(self.pause)
        yield b"data: [DONE]\n\n"

    async def aclose(self) -> None:
        self.closed.set()


def answer_chunk(text: str) -> str:
    delta = {"content": text, "role": "assistant"}
    return json.dumps(
        {"choices": [{"delta": delta, "index": 0}], "object": "chat.completion.chunk"}
    )


class Reply:
    """Events folded into what a person would see, per choice."""

    def __init__(self, events: Iterable[Event]) -> None:
        self.events = list(events)
        self.thoughts: dict[int, str] = {}
        self.answers: dict[int, str] = {}
        self.tool_calls: list[ToolCallEvent] = []
        self.signatures: list[SignatureEvent] = []
        self.usages: list[UsageEvent] = []
        self.finishes: dict[int, str] = {}
        for event in self.events:
            self._take(event)

    def _take(self, event: Event) -> None:
        match event:
            case ThoughtDelta(text=text, choice=choice):
                self.thoughts[choice] = self.thoughts.get(choice, "") + text
            case AnswerDelta(text=text, choice=choice):
                self.answers[choice] = self.answers.get(choice, "") + text
            case ToolCallEvent():
                self.tool_calls.append(event)
            case SignatureEvent():
                self.signatures.append(event)
            case UsageEvent():
                self.usages.append(event)
            case FinishEvent(choice=choice, reason=reason):
                self.finishes[choice] = reason

    @property
    def thought(self) -> str:
        return self.thoughts.get(0, "")

    @property
    def answer(self) -> str:
        return self.answers.get(0, "")

    @property
    def usage(self) -> UsageEvent | None:
        return self.usages[-1] if self.usages else None

    def calls(self) -> list[tuple[int, str, str, object]]:
        """(position, name, arguments, extra_content) of each call, ids left out."""
        return [(c.position, c.name, c.arguments, c.extra_content) for c in self.tool_calls]


async def collect(events: AsyncIterator[Event]) -> Reply:
    return Reply([event async for event in events])
