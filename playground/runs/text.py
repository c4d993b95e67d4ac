"""Short texts made from what a person typed."""

from __future__ import annotations

TITLE_CHARS = 60


def title_from_prompt(prompt: str) -> str:
    """A conversation's or comparison's title: the prompt's first words on one line."""
    words = " ".join(prompt.split())
    return words if len(words) <= TITLE_CHARS else words[: TITLE_CHARS - 1].rstrip() + "…"
