"""Per-socket limits on incoming messages, as ASGI middleware in front of every consumer.

60,000 `stop` messages a second from one socket slowed every user's pages from 0.02 to 2.9 s,
and a message of 100,000 `[` made the consumer's `json.loads` raise RecursionError (a 1011
close). Each socket therefore gets, before any consumer sees a message:
- a largest message, SOCKET_MAX_FRAME_BYTES (close code 4009);
- a token bucket, SOCKET_FRAME_BURST messages refilled at SOCKET_FRAMES_PER_SECOND, where a
  message costs one token and one more per 64 KiB, so the bytes a socket makes us read are
  bounded too (close code 4008);
- a deepest JSON nesting for text messages, SOCKET_MAX_JSON_DEPTH (close code 4008).
The codes are the protocol's 1009 ("message too big") and 1008 ("policy violation") moved into
the range an application may send: daphne refuses any other code than 1000 and 3000-4999 from an
application, and would crash the connection with 1011 instead.
A socket past a limit is closed with a log line naming the limit, the path and the user; the
consumer sees an ordinary disconnect (its run stops and keeps what arrived) and anything it still
sends is dropped. The page's socket reconnects on its own.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

MESSAGE_TOO_BIG = 4009
POLICY_VIOLATION = 4008
BYTES_PER_TOKEN = 64 * 1024
Message = dict[str, Any]


def json_nesting_exceeds(text: str, limit: int) -> bool:
    """Whether `text`, read as JSON, nests containers more than `limit` deep.

    Text that is not JSON is left to the consumer, which says it cannot read it.
    """
    if text.count("[") + text.count("{") <= limit:
        return False  # cannot nest deeper than it has brackets
    try:
        value = json.loads(text)
    except RecursionError:  # deeper than the parser's own stack allows
        return True
    except ValueError:
        return False
    # Walked with a list, not recursion: the depth here is what is being checked.
    pending = [(value, 1)] if isinstance(value, (dict, list)) else []
    while pending:
        node, depth = pending.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class TokenBucket:
    def __init__(self, *, rate: float, burst: int):
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.refilled_at = time.monotonic()

    def take(self, cost: float) -> bool:
        if not self.rate:
            return True
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.refilled_at) * self.rate)
        self.refilled_at = now
        # The largest message allowed must be able to pass, on a full bucket.
        cost = min(cost, self.burst)
        if self.tokens < cost:
            return False
        self.tokens -= cost
        return True


class SocketFrameLimits:
    """ASGI middleware for the websocket router."""

    def __init__(self, application: Any):
        self.application = application

    async def __call__(self, scope: Message, receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            return await self.application(scope, receive, send)
        guarded = GuardedSocket(scope, receive, send)
        return await self.application(scope, guarded.receive, guarded.send)


class GuardedSocket:
    """One connection's view of the server: messages past a limit close it instead."""

    def __init__(self, scope: Message, receive: Any, send: Any):
        self.scope = scope
        self._receive = receive
        self._send = send
        self.max_bytes = settings.SOCKET_MAX_FRAME_BYTES
        self.max_depth = settings.SOCKET_MAX_JSON_DEPTH
        self.bucket = TokenBucket(
            rate=settings.SOCKET_FRAMES_PER_SECOND, burst=settings.SOCKET_FRAME_BURST
        )
        self.close_code: int | None = None

    async def receive(self) -> Message:
        if self.close_code is not None:
            return {"type": "websocket.disconnect", "code": self.close_code}
        message = await self._receive()
        if message["type"] != "websocket.receive":
            return message
        refusal = self._refusal(message)
        if refusal is None:
            return message
        code, reason = refusal
        await self._close(code, reason)
        return {"type": "websocket.disconnect", "code": code}

    async def send(self, message: Message) -> None:
        if self.close_code is not None:
            return  # closed by us: what the consumer still says goes nowhere
        await self._send(message)

    def _refusal(self, message: Message) -> tuple[int, str] | None:
        text = message.get("text")
        size = len(message.get("bytes") or b"")
        if text is not None:
            # A character is at most 4 bytes: encode only when the length alone cannot tell.
            size = len(text) if len(text) * 4 <= self.max_bytes else len(text.encode())
        if size > self.max_bytes:
            return MESSAGE_TOO_BIG, f"a message over {self.max_bytes} bytes"
        if not self.bucket.take(1 + size / BYTES_PER_TOKEN):
            return POLICY_VIOLATION, (
                f"more than {self.bucket.burst} messages at once or {self.bucket.rate:g} a second"
            )
        if text and json_nesting_exceeds(text, self.max_depth):
            return POLICY_VIOLATION, f"JSON nested deeper than {self.max_depth}"
        return None

    async def _close(self, code: int, reason: str) -> None:
        self.close_code = code
        user = self.scope.get("user")
        logger.warning(
            "Closed a socket on %s (user %s) for %s.",
            self.scope.get("path", ""),
            getattr(user, "pk", None),
            reason,
        )
        await self._send({"type": "websocket.close", "code": code, "reason": reason[:120]})
