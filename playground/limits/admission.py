"""Whether a person may start more replies now: concurrent streams, requests per minute, and
the largest output they may ask for. Called where runs are created, inside the transaction that
creates their rows, so a refusal stores nothing.

Concurrent streams are counted in the database (streaming turns and panes), which every worker
shares; requests per minute are counted in the cache, which is Redis when REDIS_URL is set
(shared by every worker) and per process otherwise. A comparison counts each of its panes.
A setting of 0 switches its limit off.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from playground.chat.models import Turn, TurnState
from playground.compare.models import Pane
from playground.workers.services import runs_claim

RATE_WINDOW_SECONDS = 60
RATE_KEY = "limits:requests:{user_id}:{window}"


class StreamRefused(Exception):
    """A run that may not start now; the message says why and what to do."""


def streams_admit(
    *, user_id: int, kind: str, ids: Sequence[int], max_tokens: int | None = None
) -> None:
    """Let these just-made turns (`kind="turn"`) or panes (`"pane"`) start, or refuse them.

    Admitted runs are claimed for this worker, so a restart elsewhere leaves them alone.
    """
    _check_ceiling(max_tokens)
    _check_concurrency(user_id=user_id, kind=kind, ids=ids)
    _take_requests(user_id=user_id, count=len(ids))
    runs_claim(kind=kind, ids=ids)


def _check_ceiling(max_tokens: int | None) -> None:
    ceiling = settings.MAX_OUTPUT_TOKENS_CEILING
    if ceiling and max_tokens is not None and max_tokens > ceiling:
        raise StreamRefused(
            f"Max output tokens is {max_tokens:,}, above this playground's ceiling of "
            f"{ceiling:,}. Lower it and send again."
        )


def _check_concurrency(*, user_id: int, kind: str, ids: Sequence[int]) -> None:
    limit = settings.LIMIT_CONCURRENT_STREAMS
    if not limit:
        return
    # Locked, so two tabs starting at once are counted one after the other (PostgreSQL).
    get_user_model().objects.select_for_update().filter(pk=user_id).exists()
    new = set(ids)
    turns = Turn.objects.filter(conversation__user_id=user_id, state=TurnState.STREAMING)
    panes = Pane.objects.filter(comparison__user_id=user_id, state=TurnState.STREAMING)
    if kind == "turn":
        turns = turns.exclude(pk__in=new)
    else:
        panes = panes.exclude(pk__in=new)
    running = turns.count() + panes.count()
    if running + len(new) <= limit:
        return
    if len(new) > limit:
        raise StreamRefused(
            f"This comparison has {len(new)} panes, more than the {_replies(limit)} one person "
            "may generate at a time. Remove some panes and run again."
        )
    raise StreamRefused(
        f"You already have {_replies(running)} generating, and one person may generate "
        f"{limit} at a time (a comparison counts each pane). Stop one or wait for it to "
        "finish, then send again."
    )


def _replies(count: int) -> str:
    return f"{count} repl{'y' if count == 1 else 'ies'}"


def _take_requests(*, user_id: int, count: int) -> None:
    limit = settings.LIMIT_REQUESTS_PER_MINUTE
    if not limit:
        return
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    key = RATE_KEY.format(user_id=user_id, window=window)
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)
    taken = cache.incr(key, count)
    if taken <= limit:
        return
    cache.decr(key, count)  # refused requests do not use up the minute
    wait = math.ceil((window + 1) * RATE_WINDOW_SECONDS - now)
    raise StreamRefused(
        f"That is more than the {limit} requests a minute one person may send (a comparison "
        f"counts each pane). Try again in {wait} s."
    )
