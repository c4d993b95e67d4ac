"""A reply's timeline: what arrived and when, kept compact so a demo can replay it at pace.

The relay feeds a `TimelineRecorder` as events arrive (in memory only); the finished timeline
is handed back in the `ReplyOutcome` and stored once with the reply, never per chunk. Stored
shape (format 1), one list per fragment, offsets in milliseconds from the run's start:

    {"v": 1, "fragments": [["thought", 120, "text"], ["answer", 900, "text"], ...],
     "end_ms": 2400, "truncated": false}

Text fragments of the same kind that arrive within `MERGE_MS` of the group's first one are
merged (replay shows them together, at most that much early). Tool calls and usage are
stored as JSON text. Only the first choice is recorded: a replay shows one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

TIMELINE_VERSION = 1
MERGE_MS = 30
# Past this many characters, nothing more is recorded and the timeline says it was cut.
TIMELINE_MAX_CHARS = 256 * 1024
# What one fragment costs beyond its text, in the stored JSON (kind, offset, brackets).
FRAGMENT_OVERHEAD = 24
TEXT_KINDS = frozenset({"thought", "answer"})
KINDS = TEXT_KINDS | {"tool_call", "usage", "finish"}


class TimelineRecorder:
    def __init__(
        self,
        *,
        started: float,
        clock: Callable[[], float] = time.monotonic,
        max_chars: int = TIMELINE_MAX_CHARS,
    ):
        self.started = started
        self.clock = clock
        self.max_chars = max_chars
        # [kind, offset_ms, pieces]: pieces joined once, when the timeline is taken.
        self.fragments: list[list[Any]] = []
        self.size = 0
        self.truncated = False
        self.usage: tuple[int, dict[str, int]] | None = None

    def offset_ms(self) -> int:
        return max(0, round((self.clock() - self.started) * 1000))

    def add(self, kind: str, text: str) -> None:
        """Record one fragment as it arrives (`kind` one of `KINDS` but usage)."""
        if self.truncated or not text:
            return
        ms = self.offset_ms()
        last = self.fragments[-1] if self.fragments else None
        joins = (
            last is not None and last[0] == kind and kind in TEXT_KINDS
            and ms - last[1] <= MERGE_MS
        )  # fmt: skip
        cost = len(text) + (0 if joins else FRAGMENT_OVERHEAD)
        if self.size + cost > self.max_chars:
            self.truncated = True
            return
        self.size += cost
        if joins and last is not None:
            last[2].append(text)
        else:
            self.fragments.append([kind, ms, [text]])

    def add_usage(self, counts: dict[str, int]) -> None:
        """Usage may come on every chunk: only the last is kept."""
        self.usage = (self.offset_ms(), counts)  # written out once, by timeline()

    def timeline(self) -> dict[str, Any]:
        fragments = [[kind, ms, "".join(pieces)] for kind, ms, pieces in self.fragments]
        if self.usage is not None:
            ms, counts = self.usage
            at = next((i for i, f in enumerate(fragments) if f[1] > ms), len(fragments))
            fragments.insert(at, ["usage", ms, json.dumps(counts, separators=(",", ":"))])
        return {
            "v": TIMELINE_VERSION,
            "fragments": fragments,
            "end_ms": self.offset_ms(),
            "truncated": self.truncated,
        }


def usage_counts(usage: Any) -> dict[str, int]:
    """A usage event's counts as a timeline keeps them."""
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
        "thinking_tokens": usage.thinking_tokens,
    }
