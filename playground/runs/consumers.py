"""The base of the chat and compare sockets: sign-in, frames, replies as tasks, Stop, notices.

A handler never awaits a whole stream: each reply runs as its own task, so the next frame
(Stop, Esc) is read while it streams. Dependencies are injected with `as_asgi(**initkwargs)`
(`stream` for the upstream call, `model_ids` for the provider's model list), as tests do.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from typing import Any, ClassVar

from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string
from django.utils.html import format_html

from playground.catalog.selectors import models_by_provider
from playground.llm import CHAT, stream_reply
from playground.runs.forms import ModelChoices

log = logging.getLogger(__name__)

# How long a closing socket waits for its replies to store what arrived.
SETTLE_SECONDS = 5.0
UNREADABLE = "That message could not be read; reload the page and try again."
Handler = Callable[[dict[str, Any]], Awaitable[None]]


class RunConsumer(AsyncWebsocketConsumer):
    stream = staticmethod(stream_reply)
    # Every provider's model ids by name (a test may give a plain list: the active provider's).
    model_ids = staticmethod(partial(models_by_provider, capability=CHAT))
    # The page's notice element, and the action a frame without one means.
    notice_id: ClassVar[str] = "notice"
    default_action: ClassVar[str] = ""

    closed = False

    def __init__(
        self,
        *args: Any,
        stream: Callable[..., Any] | None = None,
        model_ids: Callable[[], Awaitable[ModelChoices]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        # Channels hands `as_asgi(**initkwargs)` to the constructor: keep what was injected.
        if stream is not None:
            self.stream = stream
        if model_ids is not None:
            self.model_ids = model_ids
        self.replies: dict[object, asyncio.Task[None]] = {}
        self.settling: set[asyncio.Future[None]] = set()

    def handlers(self) -> dict[str, Handler]:
        raise NotImplementedError

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()  # before accept: the handshake is refused with 403
            return
        await self.accept()

    async def disconnect(self, code: int) -> None:
        self.closed = True
        await self.stop_replies(wait=True)

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels closes stale database connections before every message, in a trip to the
        # database thread (0.5 ms a frame, before a send's request could leave). Every database
        # call here goes through `database_sync_to_async`, which does the same around each call
        # (Django refuses any other on the event loop), so a message skips the trip.
        if message["type"] == "websocket.receive":
            await self.websocket_receive(message)
            return
        await super().dispatch(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            payload = json.loads(text_data or "")
        except (ValueError, RecursionError):
            payload = None
        if not isinstance(payload, dict):
            await self.notice(UNREADABLE)
            return
        action = payload.get("action") or self.default_action
        handler = self.handlers().get(action) if isinstance(action, str) else None
        if handler is None:
            await self.notice(f"Unknown action {str(action)[:40]!r}.")
            return
        await handler({key: value for key, value in payload.items() if key != "HEADERS"})

    @property
    def user(self) -> Any:
        return self.scope["user"]

    @property
    def busy(self) -> bool:
        return any(not task.done() for task in self.replies.values())

    def start_reply(
        self,
        key: object,
        run: Coroutine[Any, Any, None],
        *,
        settle: Callable[[], Coroutine[Any, Any, None]],
    ) -> asyncio.Task[None]:
        """Run one reply as a task; `settle` stores a reply stopped before its first step
        (whose own `finally` never ran)."""
        task = asyncio.create_task(run)
        self.replies[key] = task

        def settle_if_unstarted(done: asyncio.Task[None]) -> None:
            if done.cancelled():
                future = asyncio.ensure_future(settle())
                self.settling.add(future)
                future.add_done_callback(self.settling.discard)

        task.add_done_callback(settle_if_unstarted)
        return task

    def stop_reply(self, key: object) -> None:
        task = self.replies.get(key)
        if task is not None and not task.done():
            task.cancel()

    async def stop_replies(self, *, wait: bool) -> None:
        running = [task for task in self.replies.values() if not task.done()]
        for task in running:
            task.cancel()
        if wait and running:
            await asyncio.wait(running, timeout=SETTLE_SECONDS)
            if self.settling:
                await asyncio.wait(set(self.settling), timeout=SETTLE_SECONDS)

    async def notice(self, message: str) -> None:
        await self.send_text(
            format_html(
                '<div id="{}" hx-swap-oob="true" role="alert">{}</div>', self.notice_id, message
            )
        )

    async def send_html(self, template: str, context: dict[str, Any]) -> None:
        await self.send_text(render_to_string(template, context))

    async def send_text(self, text: str) -> None:
        if self.closed:
            return
        try:
            await self.send(text_data=text)
        except Exception:  # the socket went away between two frames
            log.debug("socket closed while sending", exc_info=True)
            self.closed = True
