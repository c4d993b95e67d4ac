"""One reply from request to stored result: stream, relay, finish exactly once.

Chat turns and compare panes both run here. Admission and the stored "streaming" row come
before (each feature's `prepare`); what is kept comes after, through the `finish` callback,
which runs exactly once whatever happens (done, stopped, upstream error, a bug in the relay),
shielded so that a second cancel (the tab closing after Stop) cannot lose the save.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable

from channels.db import database_sync_to_async
from django.contrib.auth.models import AbstractBaseUser

from playground.llm import RunSpec, request_written_signal
from playground.runs.attachments import AttachmentMissing, has_attachment_refs, resolve_attachments
from playground.runs.outcome import ReplyOutcome
from playground.runs.relay import ReplyRelay
from playground.runs.states import ReplyState
from playground.runs.stopping import stoppable

log = logging.getLogger(__name__)

RELAY_FAILED = "The playground failed while relaying this reply; what arrived is kept."

Stream = Callable[[RunSpec], AsyncIterator[object]]


async def reply_run[Saved](
    *,
    spec: RunSpec,
    stream: Stream,
    relay: ReplyRelay,
    owner: AbstractBaseUser,
    finish: Callable[[ReplyOutcome], Awaitable[Saved]],
) -> Saved:
    """Stream `spec` through `relay` and hand the outcome to `finish` once; returns what
    `finish` stored."""
    outcome: ReplyOutcome | None = None
    try:
        # Stoppable from any page by its DOM prefix, which names one stored reply.
        async with stoppable(relay.dom_prefix):
            if has_attachment_refs(spec):  # read the files' bytes off the event loop
                spec = await database_sync_to_async(resolve_attachments)(spec, owner=owner)
            outcome = await relay.run(stream(spec))
    except AttachmentMissing as exc:
        outcome = relay.outcome(ReplyState.ERROR, {"message": str(exc)})
    except Exception:
        log.exception("relaying reply %s failed", relay.dom_prefix)
        outcome = relay.outcome(ReplyState.ERROR, {"message": RELAY_FAILED})
    finally:
        if outcome is None:  # cancelled before the relay began
            outcome = relay.outcome(ReplyState.CANCELLED, None)
        saved = await asyncio.shield(finish(outcome))
    return saved


# How long storing a reply's rows waits for its request to be written first (a new TLS
# connection can take longer; the rows then go in alongside).
WRITE_WAIT_SECONDS = 0.025


async def requests_written(written: Iterable[asyncio.Event]) -> None:
    """Returns once every request is on its way (each `request_written_signal` event set), or
    WRITE_WAIT_SECONDS passed: the database work or rendering that follows would hold the GIL
    the writes need."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(
            asyncio.gather(*(event.wait() for event in written)), WRITE_WAIT_SECONDS
        )


class EarlyStream:
    """An upstream reply whose request leaves now, before its rows are stored: the request
    and the wait for the first event run in the background, and `events()` hands them on to
    the relay once the run begins. `close()` (idempotent) closes the upstream response when
    the run does not start after all, or ends without reading it all.
    """

    def __init__(self, events: AsyncIterator[object]):
        self.upstream = events
        self.started = time.monotonic()  # the reply's figures count from here
        self.written = asyncio.Event()
        self.first: asyncio.Future[object] = asyncio.ensure_future(self._first())

    async def _first(self) -> object:
        request_written_signal(self.written)
        try:
            return await anext(self.upstream, _ENDED)
        finally:
            self.written.set()  # failed or ended before writing anything

    async def request_written(self) -> None:
        await requests_written([self.written])

    async def events(self) -> AsyncIterator[object]:
        try:
            first = await self.first
            if first is _ENDED:
                return
            yield first
            async for event in self.upstream:
                yield event
        finally:
            await self.close()

    async def close(self) -> None:
        if not self.first.done():
            self.first.cancel()
        await asyncio.wait({self.first})  # the generator must rest before it can be closed
        if not self.first.cancelled():
            self.first.exception()  # an error nobody read (the run never began) is not news
        with contextlib.suppress(Exception):
            await self.upstream.aclose()  # type: ignore[attr-defined]


_ENDED = object()


def unstarted_outcome(state: ReplyState, error: dict[str, object] | None = None) -> ReplyOutcome:
    """A reply stopped (or failed) before its run took its first step: nothing arrived."""
    return ReplyOutcome(state=state, answers=[""], thoughts=[""], error=error)
