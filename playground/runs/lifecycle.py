"""One reply from request to stored result: stream, relay, finish exactly once.

Chat turns and compare panes both run here. Admission and the stored "streaming" row come
before (each feature's `prepare`); what is kept comes after, through the `finish` callback,
which runs exactly once whatever happens (done, stopped, upstream error, a bug in the relay),
shielded so that a second cancel (the tab closing after Stop) cannot lose the save.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from channels.db import database_sync_to_async
from django.contrib.auth.models import AbstractBaseUser

from playground.llm import RunSpec
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


def unstarted_outcome(state: ReplyState, error: dict[str, object] | None = None) -> ReplyOutcome:
    """A reply stopped (or failed) before its run took its first step: nothing arrived."""
    return ReplyOutcome(state=state, answers=[""], thoughts=[""], error=error)
