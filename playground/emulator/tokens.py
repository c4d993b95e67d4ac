"""Word-ish tokens: what the emulator counts in usage and sends in stream chunks."""

from __future__ import annotations

import re

# A word or one punctuation mark, with the whitespace before it; trailing whitespace last.
# Joining the pieces gives the text back exactly.
TOKEN_PATTERN = re.compile(r"\s*(?:[\w'\u2019]+|[^\w\s])|\s+\Z")


def split_tokens(text: str) -> list[str]:
    return TOKEN_PATTERN.findall(text)


def count_tokens(text: str) -> int:
    return len(split_tokens(text))
