"""The relay: escaped fragments, coalesced, the first answer text at once, one outcome."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from playground.llm.streaming import AnswerDelta, FinishEvent, ThoughtDelta, UsageEvent
from playground.runs.markdown import render_markdown
from playground.runs.outcome import reply_candidates
from playground.runs.relay import ReplyRelay
from playground.runs.states import ReplyState
from tests.live_page import shown_html
from tests.runs.test_markdown_stream import SAMPLES


class Recorder:
    def __init__(self) -> None:
        self.frames: list[tuple[float, str]] = []

    async def __call__(self, fragment: str) -> None:
        self.frames.append((time.monotonic(), fragment))


async def thinking_then_answer(sent: dict[str, float]) -> AsyncIterator[object]:
    yield ThoughtDelta(text="Thinking it over.")
    await asyncio.sleep(0.005)
    sent["answer"] = time.monotonic()
    yield AnswerDelta(text="Paris")
    await asyncio.sleep(0.2)  # a slow stream after that
    yield AnswerDelta(text=" is the capital.")
    yield UsageEvent(prompt_tokens=3, completion_tokens=5, total_tokens=20, thinking_tokens=12)
    yield FinishEvent(choice=0, reason="stop")


async def test_the_first_answer_text_is_not_held_back_by_coalescing() -> None:
    recorder, sent = Recorder(), {}
    relay = ReplyRelay(dom_prefix="t1", n=1, send=recorder, interval=1.0)

    outcome = await relay.run(thinking_then_answer(sent))

    answer_at = next(at for at, frame in recorder.frames if "Paris" in frame)
    assert answer_at - sent["answer"] < 0.1, "sent as it arrived, not after the 1 s window"
    assert outcome.state == ReplyState.DONE and outcome.answers == ["Paris is the capital."]
    assert outcome.thinking_tokens == 12 and outcome.first_answer_ms >= outcome.ttft_ms


async def test_later_text_is_coalesced_into_few_escaped_frames() -> None:
    async def many() -> AsyncIterator[object]:
        yield AnswerDelta(text="<b>")
        for n in range(200):
            yield AnswerDelta(text=f"w{n} ")
        yield FinishEvent(choice=0, reason="stop")

    recorder = Recorder()
    outcome = await ReplyRelay(dom_prefix="p7", n=1, send=recorder, interval=0.05).run(many())

    assert len(recorder.frames) <= 3
    joined = "".join(frame for _, frame in recorder.frames)
    assert 'id="p7-c0-answer" hx-swap-oob="beforeend"' in joined
    assert "&lt;b&gt;" in joined and "<b>" not in joined
    assert outcome.answers[0].startswith("<b>w0 w1 ")


async def pieces_at_a_pace(text: str, size: int, *, thoughts: str = "") -> AsyncIterator[object]:
    for at in range(0, len(thoughts), size):
        yield ThoughtDelta(text=thoughts[at : at + size])
        await asyncio.sleep(0.001)
    for at in range(0, len(text), size):
        yield AnswerDelta(text=text[at : at + size])
        await asyncio.sleep(0.001)
    yield FinishEvent(choice=0, reason="stop")


async def test_finished_blocks_show_as_markdown_while_the_reply_still_streams() -> None:
    text = "Here is **bold**.\n\n- one\n- two\n\nAnd the rest is still coming"
    recorder = Recorder()
    await ReplyRelay(dom_prefix="t3", n=1, send=recorder, interval=0.001).run(
        pieces_at_a_pace(text, 4)
    )
    frames = [frame for _, frame in recorder.frames]
    before_end = frames[:-1]
    assert "<p>Here is <strong>bold</strong>.</p>" in shown_html(before_end, "t3-c0-answer")
    assert "<li>one</li>" in shown_html(before_end, "t3-c0-answer")
    open_text = shown_html(before_end, "t3-c0-answer").split("</ul>")[-1]
    assert open_text.strip().startswith("And the rest"), "only the open block is plain text"
    assert shown_html(frames, "t3-c0-answer") == render_markdown(text)


@pytest.mark.parametrize("name", ["fenced code with blank lines", "nested lists", "tables"])
async def test_what_shows_when_done_is_the_whole_reply_rendered(name: str) -> None:
    text, thoughts = SAMPLES[name], SAMPLES["loose list"]
    recorder = Recorder()
    outcome = await ReplyRelay(dom_prefix="p2", n=1, send=recorder, interval=0.002).run(
        pieces_at_a_pace(text, 5, thoughts=thoughts)
    )
    frames = [frame for _, frame in recorder.frames]
    assert len(frames) > 5, "it streamed in several flushes"
    assert shown_html(frames, "p2-c0-answer") == render_markdown(text)
    assert shown_html(frames, "p2-c0-thoughts") == render_markdown(thoughts)
    stored = reply_candidates(outcome, None)[0]
    assert stored["html"] == render_markdown(text), "stored as shown, not rendered again"
    assert stored["thoughts_html"] == render_markdown(thoughts)
    assert "<script" not in "".join(frames)


async def test_a_link_defined_after_its_use_is_stored_as_the_whole_text_renders_it() -> None:
    text = "See [the docs].\n\nMore.\n\n[the docs]: https://example.org/docs\n"
    outcome = await ReplyRelay(dom_prefix="t4", n=1, send=Recorder(), interval=0).run(
        pieces_at_a_pace(text, 3)
    )
    html = reply_candidates(outcome, None)[0]["html"]
    assert html == render_markdown(text) and 'href="https://example.org/docs"' in html


async def test_thoughts_render_whole_once_the_answer_begins() -> None:
    recorder = Recorder()
    thoughts = "**Planning**\n\nI will list them"
    outcome = await ReplyRelay(dom_prefix="t5", n=1, send=recorder, interval=0.001).run(
        pieces_at_a_pace("- one\n- two\n\nMore text still coming", 4, thoughts=thoughts)
    )
    frames = [frame for _, frame in recorder.frames]
    while_answering = frames[:-1]
    assert shown_html(while_answering, "t5-c0-thoughts") == render_markdown(thoughts)
    assert reply_candidates(outcome, None)[0]["thoughts_html"] == render_markdown(thoughts)
