"""Streamed markdown: finished blocks rendered once each add up to the whole reply's HTML."""

from __future__ import annotations

import random

import pytest

from playground.runs.markdown import render_markdown
from playground.runs.markdown_stream import MarkdownBlocks

SAMPLES = {
    "paragraphs and headings": "# Title\n\nFirst **bold** line\nstill the same paragraph.\n\n"
    "## Second\n\nSetext\n------\n\nLast *one*.",
    "fenced code with blank lines": "Look:\n\n```python\ndef f():\n\n    return 1\n\n\n"
    "x = f()\n```\n\nAfter the code.\n\n~~~~\n~~~\nstill code\n\n~~~~\nDone.",
    "an unclosed fence": "Start\n\n```js\nlet a = 1;\n\nlet b = 2;\n",
    "a longer closing fence": "```\ncode\n\n``\n`````\n\nText",
    "loose list": "- one\n\n- two\n\n- three\n\nAfter the list.",
    "nested lists": "1. first\n   - inner a\n   - inner b\n\n     more of b\n\n2. second\n"
    "   1. deep\n\n      deep paragraph\n\n3. third\n\nEnd.",
    "list after a paragraph": "Intro:\n- a\n- b\n\n- c\n\nPara\n\n* other\n* kind\n\n"
    "5) five\n6) six",
    "list items holding code": "- step\n\n  ```sh\n  ls\n\n  pwd\n  ```\n\n- next step\n\nDone",
    "tables": "| a | b |\n|---|:-:|\n| 1 | **2** |\n| 3 | 4 |\n\nText\n\n| x |\n|---|\n| y |",
    "blockquotes": "> quoted\n> more\n\n> second quote\n>\n> - with a list\n\nplain",
    "indented code and rules": "Para\n\n    indented code\n\n    still code\n\n---\n\n***\n\nEnd",
    "raw html stays text": "<script>alert(1)</script>\n\n<b>bold</b> and [link](javascript:x)",
    "blank lines first": "\n\n\nHello\n\n\n\nWorld\n\n",
}


def streamed_html(text: str, sizes: list[int]) -> str:
    blocks, html, at = MarkdownBlocks(), [], 0
    while at < len(text):
        size = sizes[len(html) % len(sizes)] if sizes else len(text)
        html.extend(render_markdown(block) for block in blocks.feed(text[at : at + size]))
        at += size
    html.append(render_markdown(blocks.close()))
    return "".join(html)


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("sizes", [[1], [3, 7], [64], [], "random"])
def test_blocks_rendered_one_by_one_equal_the_whole_reply_rendered(name, sizes):
    text = SAMPLES[name]
    if sizes == "random":
        sizes = [random.Random(name).randint(1, 12) for _ in range(50)]
    assert streamed_html(text, sizes) == render_markdown(text)


def test_finished_blocks_leave_as_soon_as_the_next_block_begins():
    blocks = MarkdownBlocks()
    assert blocks.feed("Hello **world**\n\n") == []
    assert blocks.feed("N") == ["Hello **world**\n\n"]
    assert blocks.feed("ext line\n") == []
    assert blocks.open_text() == "Next line\n"


def test_a_line_that_may_be_a_list_item_is_read_until_that_is_clear():
    blocks = MarkdownBlocks()
    assert blocks.feed("- a\n\n1") == []
    assert blocks.feed("2") == []
    assert blocks.feed(". b\n\n  more\n\n1") == []
    assert blocks.feed("2 apples") == ["- a\n\n12. b\n\n  more\n\n"]


def test_a_fence_holds_its_blank_lines_until_it_closes():
    blocks = MarkdownBlocks()
    assert blocks.feed("```\na\n\nb\n\nc\n") == []
    assert blocks.feed("```\n\nafter\n") == ["```\na\n\nb\n\nc\n```\n\n"]


def test_list_items_separated_by_blank_lines_stay_one_block():
    blocks = MarkdownBlocks()
    assert blocks.feed("- a\n\n- b\n\n- c\n\n") == []
    assert blocks.feed("Done\n") == ["- a\n\n- b\n\n- c\n\n"]
