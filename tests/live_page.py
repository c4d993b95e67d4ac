"""What a page shows of a streamed reply: the relay's fragments applied as htmx would."""

from __future__ import annotations

import html
import re

FRAGMENT = re.compile(
    r'<(?P<tag>span|div) id="(?P<target>[\w-]+)" hx-swap-oob="(?P<swap>beforeend|innerHTML)">'
    r"(?P<html>.*?)</(?P=tag)>",
    re.S,
)
TAG = re.compile(r"<[^>]*>")


def shown_html(frames: list[str], target: str) -> str:
    """The HTML of one stream (`t7-c0-answer`): its rendered blocks, then its open text."""
    elements = {target: "", f"{target}-md": ""}
    for frame in frames:
        for match in FRAGMENT.finditer(frame):
            if match.group("target") in elements:
                kept = elements[match.group("target")] if match.group("swap") == "beforeend" else ""
                elements[match.group("target")] = kept + match.group("html")
    return elements[f"{target}-md"] + elements[target]


def shown_text(frames: list[str], target: str) -> str:
    """The words of one stream as the page shows them, without markup."""
    return html.unescape(TAG.sub("", shown_html(frames, target)))
