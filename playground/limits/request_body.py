"""Request bodies over REQUEST_MAX_BODY_BYTES are refused with 413 before they are read.

Django's ASGI handler reads a whole body (into memory, then a temporary file) before any view or
form limit looks at it: a 1 GiB POST to the sign-in page was read whole. This middleware sits in
front of it: a Content-Length over the limit is answered at once, without reading a byte; a body
without one (chunked) is counted as it arrives and refused as soon as it passes the limit.

uvicorn hands the body over as it arrives, so this is all it needs. daphne reads the whole body
itself before calling the application: `manage.py serve` runs it with `daphne_server.py`, which
applies the same limit while the body arrives.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

Message = dict[str, Any]


def body_refusal_text(limit: int) -> bytes:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return f"Request body too large: this server accepts at most {size}.\n".encode()


def _declared_length(scope: Message) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses such a request itself
    return None


async def _refuse(send: Any, scope: Message, limit: int) -> None:
    logger.warning(
        "Refused a request body over %s bytes: %s %s",
        limit,
        scope.get("method", ""),
        scope.get("path", "")[:200],
    )
    body = body_refusal_text(limit)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestBodyLimit:
    """ASGI middleware for the HTTP application."""

    def __init__(self, application: Any):
        self.application = application

    async def __call__(self, scope: Message, receive: Any, send: Any) -> Any:
        if scope["type"] != "http":
            return await self.application(scope, receive, send)
        limit = settings.REQUEST_MAX_BODY_BYTES
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            return await _refuse(send, scope, limit)
        counted = CountedBody(scope, receive, send, limit)
        return await self.application(scope, counted.receive, counted.send)


class CountedBody:
    """The application's view of one request: its body ends where the limit is passed."""

    def __init__(self, scope: Message, receive: Any, send: Any, limit: int):
        self.scope = scope
        self._receive = receive
        self._send = send
        self.limit = limit
        self.received = 0
        self.refused = False
        self.response_started = False

    async def receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.refused = True
                if not self.response_started:
                    await _refuse(self._send, self.scope, self.limit)
                # Django stops on a disconnect without answering: the 413 above stands.
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self.refused:
            return
        if message["type"] == "http.response.start":
            self.response_started = True
        await self._send(message)
