"""The texts to embed, from the box (one per line) or from a small text or CSV file."""

from __future__ import annotations

import csv
import io

from playground.llm import MAX_TEXTS

MAX_TEXT_CHARS = 8_000
MAX_FILE_BYTES = 1024 * 1024
TEXT_COLUMN_NAMES = ("text", "texts", "sentence", "content")


class TextsRefused(ValueError):
    """Texts that cannot be embedded as given; the message says why."""


def texts_from_lines(given: str) -> list[str]:
    return [line.strip() for line in given.splitlines() if line.strip()]


def _csv_texts(content: str) -> list[str]:
    rows = [row for row in csv.reader(io.StringIO(content)) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((header.index(name) for name in TEXT_COLUMN_NAMES if name in header), None)
    if column is None:
        # No header naming the text: every row's first cell is a text.
        return [row[0].strip() for row in rows if row and row[0].strip()]
    return [row[column].strip() for row in rows[1:] if len(row) > column and row[column].strip()]


def texts_from_file(name: str, content: bytes) -> list[str]:
    """One text per line, or per CSV row (the `text` column, else the first one)."""
    if len(content) > MAX_FILE_BYTES:
        raise TextsRefused(f"{name} is larger than {MAX_FILE_BYTES // 2**20} MB.")
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TextsRefused(f"{name} is not UTF-8 text.") from None
    if "\x00" in decoded:
        raise TextsRefused(f"{name} is not a text file.")
    try:
        texts = _csv_texts(decoded) if name.lower().endswith(".csv") else texts_from_lines(decoded)
    except csv.Error as exc:
        raise TextsRefused(f"{name} is not a readable CSV file ({exc}).") from None
    if not texts:
        raise TextsRefused(f"{name} holds no text.")
    return texts


def texts_check(texts: list[str]) -> list[str]:
    if not texts:
        raise TextsRefused("Enter at least one text, one per line.")
    if len(texts) > MAX_TEXTS:
        raise TextsRefused(f"{len(texts)} texts given; at most {MAX_TEXTS} fit in one request.")
    for number, text in enumerate(texts, start=1):
        if len(text) > MAX_TEXT_CHARS:
            raise TextsRefused(
                f"Text {number} has {len(text):,} characters; at most {MAX_TEXT_CHARS:,} each."
            )
    return texts
