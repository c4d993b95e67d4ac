"""The one place AsyncOpenAI clients are built: explicit timeouts and a deliberate retry count.

Timeouts are never retried: the SDK would retry a stalled request like a refused one, so a
stall before the first byte lasted (retries + 1) x `UPSTREAM_TIMEOUT_SECONDS` plus backoff.
`UPSTREAM_TIMEOUT_SECONDS` is the longest wait, once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any
from weakref import WeakKeyDictionary

import httpx2
from django.conf import settings
from openai import APITimeoutError, AsyncOpenAI, DefaultAsyncHttpxClient

from playground.llm.network import AsyncioTransport
from playground.llm.providers import Provider
from playground.llm.retry_policy import retry_wait_hook

ClientKey = tuple[str, str, float, float, int, bool, float]

# Pooled connections belong to the event loop that opened them: one set of clients per loop,
# dropped with the loop (a test's loop, or a worker's after a restart).
_PER_LOOP: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[ClientKey, AsyncOpenAI]] = (
    WeakKeyDictionary()
)
_OUTSIDE_LOOPS: dict[ClientKey, AsyncOpenAI] = {}


def client_for(provider: Provider) -> AsyncOpenAI:
    """A client per provider, key and settings, shared within the running event loop."""
    key: ClientKey = (
        provider.base_url,
        provider.api_key,
        settings.UPSTREAM_TIMEOUT_SECONDS,
        settings.UPSTREAM_CONNECT_TIMEOUT_SECONDS,
        settings.UPSTREAM_MAX_RETRIES,
        provider.is_emulator,
        settings.UPSTREAM_KEEPALIVE_SECONDS,
    )
    try:
        clients = _PER_LOOP.setdefault(asyncio.get_running_loop(), {})
    except RuntimeError:
        clients = _OUTSIDE_LOOPS
    if key not in clients:
        clients[key] = _new_client(*key)
    return clients[key]


def _new_client(
    base_url: str,
    api_key: str,
    timeout: float,
    connect_timeout: float,
    max_retries: int,
    is_emulator: bool,
    keepalive: float,
) -> AsyncOpenAI:
    # The read timeout bounds a stall between two chunks, not the whole reply.
    timeouts = httpx2.Timeout(timeout, connect=connect_timeout)
    return AsyncOpenAI(
        api_key=api_key or "missing-key",
        base_url=base_url,
        timeout=timeouts,
        # The SDK's own retries are the only retry loop. The hook makes them wait what Gemini
        # asks in its error body, and hands a long wait to the page instead of sitting it out
        # (retry_policy explains both).
        max_retries=max_retries,
        # The emulator runs beside the playground: compressing its event stream chunk by chunk
        # cost it ~12 µs a chunk, and unpacking it cost the relay more, to save loopback bytes.
        default_headers={"Accept-Encoding": "identity"} if is_emulator else None,
        http_client=DefaultAsyncHttpxClient(
            timeout=timeouts,
            transport=TimeoutsNotRetried(AsyncioTransport(limits=connection_limits(keepalive))),
            event_hooks={"response": [retry_wait_hook]},
        ),
    )


def connection_limits(keepalive: float) -> httpx2.Limits:
    """The SDK's own pool size (its default client's limits; a transport given here replaces
    them), with idle connections kept `keepalive` seconds (UPSTREAM_KEEPALIVE_SECONDS)."""
    return httpx2.Limits(
        max_connections=1000,
        max_keepalive_connections=100 if keepalive else 0,
        keepalive_expiry=keepalive,
    )


_written: ContextVar[asyncio.Event | None] = ContextVar("request_written", default=None)


def request_written_signal(event: asyncio.Event) -> None:
    """In the running task, `event` is set once the next request has been written to its
    connection, or has failed before: a caller can wait for that before loading the event
    loop's thread with other work (a busy thread holds the GIL the write needs)."""
    _written.set(event)


class TimeoutsNotRetried(httpx2.AsyncBaseTransport):
    """Raises a timeout as the SDK's own `APITimeoutError`: the SDK passes its own errors on
    without retrying them, while it retries any other exception (a reset connection, a 429,
    a 5xx keep their retries). Also says when a request is written (`request_written_signal`)."""

    def __init__(self, transport: httpx2.AsyncBaseTransport) -> None:
        self.transport = transport

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        written = _written.get()
        if written is not None:
            request.extensions = {**request.extensions, "trace": _written_tracer(written)}
        try:
            return await self.transport.handle_async_request(request)
        except httpx2.TimeoutException as exc:
            raise APITimeoutError(request=request) from exc
        finally:
            if written is not None:
                written.set()

    async def aclose(self) -> None:
        await self.transport.aclose()


def _written_tracer(written: asyncio.Event) -> Any:
    """httpcore's `trace` extension: sets `written` when the request's body has gone out."""

    async def trace(name: str, info: Mapping[str, Any]) -> None:
        if name.endswith(".send_request_body.complete"):
            written.set()

    return trace
