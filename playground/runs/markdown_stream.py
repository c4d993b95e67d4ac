"""Streamed markdown split into finished top-level blocks, so a reply renders while it streams.

`MarkdownBlocks` reads each line once, as it completes. A block is finished when, after a blank
line outside a fenced code block, a line starts at the first column and cannot continue the block
(a list marker continues a block that holds a list: its items may be separated by blank lines).
Indented lines never start a block (they may belong to a list item or an indented code block),
so a guess errs only towards waiting. Rendering the finished blocks one by one then gives the same
HTML as rendering the whole text, with each block rendered once; only the open block is shown as
plain text, and it is replaced when it finishes.
"""

from __future__ import annotations

import re

FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})([^`]*)$")
LIST_MARKER = re.compile(r" {0,3}([-+*]|\d{1,9}[.)])([ \t]|$)")
# The start of a line that may still turn into a list marker as more text arrives.
MARKER_SO_FAR = re.compile(r"([-+*]|\d{1,9}[.)]?)?")


class MarkdownBlocks:
    """Markdown fed piece by piece; `feed` hands back the blocks that finished."""

    def __init__(self) -> None:
        self.block: list[str] = []  # complete lines of the open block
        self.partial: list[str] = []  # the line still arriving
        self.fence: str | None = None  # the open fence's marker (``` or ~~~~...)
        self.after_blank = False
        self.has_text = False  # a blank line before any text finishes nothing
        self.block_has_list = False

    def feed(self, text: str) -> list[str]:
        """Take more text; return the blocks it finished, in order (each once)."""
        finished: list[str] = []
        if "\n" in text:
            lines = text.split("\n")
            self.partial.append(lines[0])
            first = "".join(self.partial)
            self.partial = [lines[-1]] if lines[-1] else []
            for line in [first, *lines[1:-1]]:
                if block := self._take_line(line + "\n"):
                    finished.append(block)
        elif text:
            self.partial.append(text)
        if self.after_blank and self.partial and (block := self._split_early()):
            finished.append(block)
        return finished

    def open_text(self) -> str:
        """The open block as it stands, the arriving line included."""
        return "".join(self.block) + "".join(self.partial)

    def close(self) -> str:
        """The rest of the text, as the last block (the stream ended)."""
        rest = self.open_text()
        self.__init__()
        return rest

    def _take_line(self, line: str) -> str | None:
        if self.fence is not None:
            self.block.append(line)
            if _closes(line, self.fence):
                self.fence = None
            return None
        if not line.strip():
            self.block.append(line)
            self.after_blank = self.has_text
            return None
        finished = None
        if self.after_blank and self._starts_block(line):
            finished = "".join(self.block)
            self.block, self.block_has_list = [], False
        self.after_blank, self.has_text = False, True
        self.block.append(line)
        if opening := FENCE_OPEN.match(line.rstrip("\n")):
            self.fence = opening.group(1)
        elif LIST_MARKER.match(line):
            self.block_has_list = True
        return finished

    def _split_early(self) -> str | None:
        """Finish the block as soon as the arriving line's first characters show that it starts
        a new one, so a finished block need not wait for the next line's end."""
        start = ""
        for piece in self.partial:  # the first dozen characters are enough to decide
            start += piece[:12]
            if len(start) >= 12:
                break
        if MARKER_SO_FAR.fullmatch(start):
            return None  # a list marker may still be arriving
        self.after_blank = False  # decided: the whole line goes where its start says
        if not self._starts_block(start):
            return None
        finished = "".join(self.block)
        self.block, self.block_has_list = [], False
        return finished

    def _starts_block(self, line: str) -> bool:
        if line[0] in " \t":
            return False  # may continue a list item or an indented code block
        return not (self.block_has_list and LIST_MARKER.match(line))


def _closes(line: str, fence: str) -> bool:
    stripped = line.rstrip()
    indent = len(stripped) - len(stripped.lstrip(" "))
    body = stripped.lstrip(" ")
    return indent <= 3 and len(body) >= len(fence) and body == fence[0] * len(body)
