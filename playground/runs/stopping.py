"""Stopping a reply from somewhere other than the socket that started it.

A reply started by the no-JavaScript form, or in another tab, runs in a request (or a socket)
this page cannot reach. Each running reply registers its task under its key (the reply's DOM
prefix, unique per stored reply). A stop in the same process cancels the task directly; with a
channel layer (Redis, several workers) it is also sent to the reply's group, which the worker
running it listens to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from channels.layers import get_channel_layer

log = logging.getLogger(__name__)

STOP_MESSAGE = {"type": "reply.stop"}
running: dict[str, asyncio.Task[object]] = {}


def stop_group(key: str) -> str:
    # Group names allow only ASCII letters, digits, hyphens, underscores and periods.
    return f"reply-stop.{key}"


@contextlib.asynccontextmanager
async def stoppable(key: str) -> AsyncIterator[None]:
    """While the block runs, `reply_stop(key=key)` from any page cancels the current task."""
    task = asyncio.current_task()
    assert task is not None, "stoppable() runs inside a task"
    running[key] = task
    listener = None
    layer = get_channel_layer()
    if layer is not None:
        channel = await layer.new_channel()
        await layer.group_add(stop_group(key), channel)
        listener = asyncio.create_task(_listen(layer, channel, task))
    try:
        yield
    finally:
        if running.get(key) is task:
            del running[key]
        if listener is not None:
            listener.cancel()
            with contextlib.suppress(Exception):
                await asyncio.shield(layer.group_discard(stop_group(key), channel))


async def _listen(layer: object, channel: str, task: asyncio.Task[object]) -> None:
    try:
        message = await layer.receive(channel)  # type: ignore[attr-defined]
    except asyncio.CancelledError:
        raise
    except Exception:  # the layer went away: the reply can still be stopped in-process
        log.warning("listening for a stop of a reply failed", exc_info=True)
        return
    if message.get("type") == STOP_MESSAGE["type"]:
        task.cancel()


async def reply_stop(*, key: str) -> bool:
    """Ask the reply under `key` to stop wherever it runs; True when it ran in this process."""
    task = running.get(key)
    if task is not None and not task.done():
        task.cancel()
        return True
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(stop_group(key), STOP_MESSAGE)
    return False
