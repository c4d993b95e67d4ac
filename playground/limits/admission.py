"""Whether a person may start more model requests now: concurrent streams, requests per
minute, and the largest output they may ask for. Streamed replies (chat, compare) are admitted
where their rows are created, inside the transaction that creates them; every other model
request (images, video, embeddings, a batch) before it is sent. Either way a refusal stores
and sends nothing.

Concurrent streams are counted in the database (the streaming rows every feature app registers
in playground.workers.stream_sources), which every worker shares; requests per minute are
counted in the cache, which is Redis when REDIS_URL is set (shared by every worker) and per
process otherwise. A comparison counts each of its panes. A setting of 0 switches its limit off.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from playground.workers.services import runs_claim
from playground.workers.stream_sources import stream_sources

RATE_WINDOW_SECONDS = 60
RATE_KEY = "limits:requests:{user_id}:{window}"


class RequestRefused(Exception):
    """A model request that may not start now; the message says why and what to do."""


# The name chat and compare know it by.
StreamRefused = RequestRefused


def streams_admit(
    *,
    user_id: int,
    kind: str,
    ids: Sequence[int],
    max_tokens: int | None = None,
    requests_taken: bool = False,
) -> None:
    """Let these just-made turns (`kind="turn"`) or panes (`"pane"`) start, or refuse them.

    Admitted runs are claimed for this worker, so a restart elsewhere leaves them alone.
    `requests_taken`: `streams_admit_ahead` already counted them against the minute.
    """
    _check_ceiling(max_tokens)
    _check_concurrency(user_id=user_id, starting=len(ids), made=(kind, ids))
    if not requests_taken:
        _take_requests(user_id=user_id, count=len(ids))
    runs_claim(kind=kind, ids=ids)


def streams_admit_ahead(*, user_id: int, count: int, max_tokens: int | None = None) -> None:
    """Whether `count` new streams may start, asked before their rows exist, so that their
    request can leave while the rows are written. Counts them against the minute; the rows'
    own `streams_admit(..., requests_taken=True)` then checks the concurrency again under the
    lock (two tabs starting at once), and `requests_give_back` returns them if it refuses."""
    _check_ceiling(max_tokens)
    _check_concurrency(user_id=user_id, starting=count, lock=False)
    _take_requests(user_id=user_id, count=count)


def requests_give_back(*, user_id: int, count: int) -> None:
    """Requests counted against the minute that did not start after all."""
    if not settings.LIMIT_REQUESTS_PER_MINUTE:
        return
    window = int(time.time() // RATE_WINDOW_SECONDS)
    try:
        cache.decr(RATE_KEY.format(user_id=user_id, window=window), count)
    except ValueError:  # a new minute began meanwhile: the old one's count no longer matters
        pass


def requests_admit(*, user_id: int, count: int = 1, max_tokens: int | None = None) -> None:
    """Let a person send `count` model requests that do not stream (an image generation counts
    each image, a batch counts once), or refuse them with RequestRefused."""
    _check_ceiling(max_tokens)
    _take_requests(user_id=user_id, count=count)


def _check_ceiling(max_tokens: int | None) -> None:
    ceiling = settings.MAX_OUTPUT_TOKENS_CEILING
    if ceiling and max_tokens is not None and max_tokens > ceiling:
        raise RequestRefused(
            f"Max output tokens is {max_tokens:,}, above this playground's ceiling of "
            f"{ceiling:,}. Lower it and send again."
        )


def _check_concurrency(
    *,
    user_id: int,
    starting: int,
    made: tuple[str, Sequence[int]] = ("", ()),
    lock: bool = True,
) -> None:
    """Whether `starting` more streams fit beside the person's running ones; `made` names the
    rows of kind `made[0]` already stored for them, which are not counted as running."""
    limit = settings.LIMIT_CONCURRENT_STREAMS
    if not limit:
        return
    if lock:  # so two tabs starting at once are counted one after the other (PostgreSQL)
        get_user_model().objects.select_for_update().filter(pk=user_id).exists()
    kind, ids = made
    running = 0
    for source in stream_sources():
        rows = source.streaming_rows_of(user_id)
        running += (rows.exclude(pk__in=ids) if ids and source.kind == kind else rows).count()
    if running + starting <= limit:
        return
    if starting > limit:
        raise RequestRefused(
            f"This comparison has {starting} panes, more than the {_replies(limit)} one person "
            "may generate at a time. Remove some panes and run again."
        )
    raise RequestRefused(
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
    raise RequestRefused(
        f"That is more than the {limit} requests a minute one person may send (a comparison "
        f"counts each pane). Try again in {wait} s."
    )
