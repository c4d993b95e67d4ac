"""Word-level differences between two answers, for highlighting in a template."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

# Words and the whitespace between them, so joining the pieces gives back the text exactly.
TOKEN = re.compile(r"\s+|[^\s]+")
# Past this many words per side the comparison is cut, to keep a request fast.
MAX_WORDS = 20_000

PieceKind = Literal["same", "removed", "added"]


@dataclass(frozen=True)
class DiffPiece:
    kind: PieceKind
    text: str


@dataclass(frozen=True)
class WordDiff:
    pieces: tuple[DiffPiece, ...]
    removed_words: int
    added_words: int
    truncated: bool

    @property
    def identical(self) -> bool:
        return not self.removed_words and not self.added_words


def _words(text: str) -> list[str]:
    return TOKEN.findall(text)


def _count(tokens: list[str]) -> int:
    return sum(1 for token in tokens if not token.isspace())


def word_diff(before: str, after: str) -> WordDiff:
    a, b = _words(before), _words(after)
    truncated = len(a) > MAX_WORDS * 2 or len(b) > MAX_WORDS * 2
    a, b = a[: MAX_WORDS * 2], b[: MAX_WORDS * 2]
    matcher = SequenceMatcher(a=a, b=b, autojunk=False)
    pieces: list[DiffPiece] = []
    removed = added = 0
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(DiffPiece("same", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(DiffPiece("removed", "".join(a[a1:a2])))
            removed += _count(a[a1:a2])
        if b2 > b1:
            pieces.append(DiffPiece("added", "".join(b[b1:b2])))
            added += _count(b[b1:b2])
    return WordDiff(tuple(pieces), removed, added, truncated)
