"""The relay: escaped fragments, coalesced, the first answer text at once, one outcome."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from playground.llm.streaming import AnswerDelta, FinishEvent, ThoughtDelta, UsageEvent
from playground.runs.relay import ReplyRelay
from playground.runs.states import ReplyState


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
