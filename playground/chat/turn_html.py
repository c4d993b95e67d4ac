"""A finished turn's HTML is rendered once, then read from the cache.

A finished turn never changes; only its place among its versions and being the last reply do,
which are part of the key. Nothing per-request (no CSRF token) may go into it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.chat.models import Turn
    from playground.chat.selectors import TurnOutline

TURN_HTML_SECONDS = 24 * 3600


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
        f"chat:turn-html:v4:{turn.pk}:{created}:{turn.state}:{branch}:{int(last)}:{answered}:"
        f"{reader}"
    )
