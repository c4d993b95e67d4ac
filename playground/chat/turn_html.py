"""A finished turn's HTML is rendered once, then read from the cache.

A finished turn never changes; only its place among its versions and being the last reply do,
which are part of the key. Nothing per-request (no CSRF token) may go into it.

Every cached piece of the chat page (turns, sidebar entries, the settings panel) is keyed with
`markup_version()` too: a digest of the templates and of the prices the figures lines show,
read once per process. A shared cache (Redis) outlives a deploy; a new release or another
price table is then simply other keys, with no version to bump by hand.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from playground.chat.models import Turn
    from playground.chat.selectors import TurnOutline

TURN_HTML_SECONDS = 24 * 3600


@cache
def markup_version() -> str:
    """What cached chat HTML was drawn with: every template's text and the price settings."""
    digest = hashlib.sha256()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(folder.rglob("*.html")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    prices = (getattr(settings, "PLAYGROUND_PRICES_FILE", ""),
              getattr(settings, "PLAYGROUND_PRICES", ""))  # fmt: skip
    digest.update(repr(prices).encode())
    return digest.hexdigest()[:12]


def turn_html_key(
    turn: Turn | TurnOutline, *, is_last: bool = False, share: Any = None
) -> str | None:
    """The cache key of the turn's HTML as `share`'s reader (None: the owner) sees it; None
    while it is still streaming (never cached). Reads only the turn's pk, state and creation
    time, and the places `transcript` sets."""
    if not turn.is_final:
        return None
    place = getattr(turn, "branch", None)
    branch = f"{place.number}/{place.count}" if place else "-"
    last = is_last or getattr(turn, "is_last_live", False)
    created = turn.created_at.timestamp()
    answered = int(bool(getattr(turn, "calls_answered", False)))
    reader = share.token if share else "owner"
    return (
        f"chat:turn-html:{markup_version()}:{turn.pk}:{created}:{turn.state}:{branch}:"
        f"{int(last)}:{answered}:{reader}"
    )
