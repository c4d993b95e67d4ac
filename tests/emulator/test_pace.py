"""Pace: first-token delay, token rate, thinking time and service tier, read at request time."""

from __future__ import annotations

import json
import time

import pytest
from django.test import AsyncClient

from playground.emulator.pace import THINKING_MAX_SECONDS, Pace, pace_for
from playground.emulator.replies import Reply
from playground.emulator.streaming import choice_timeline, reply_seconds

pytestmark = pytest.mark.urls("tests.emulator.urls")

URL = "/emulator/v1beta/openai/chat/completions"
AUTH = {"Authorization": "Bearer k"}


def chat_body(**fields: object) -> str:
    ask = [{"role": "user", "content": "Explain to me how AI works"}]
    return json.dumps({"model": "gemini-2.0-flash", "messages": ask, **fields})


async def timed_stream(body: str) -> tuple[float, float, list[bytes]]:
    """Seconds to the first event, seconds to the end, and the events."""
    started = time.monotonic()
    response = await AsyncClient().post(URL, body, content_type="application/json", headers=AUTH)
    assert response.status_code == 200
    events, first = [], 0.0
    async for event in response.streaming_content:
        first = first or time.monotonic() - started
        events.append(event)
    return first, time.monotonic() - started, events


async def test_it_waits_the_first_token_delay_then_streams_at_once(settings) -> None:
    settings.EMULATOR_TTFT_MS = 150
    settings.EMULATOR_TOKENS_PER_SECOND = 0

    first, total, events = await timed_stream(chat_body(stream=True))

    assert 0.15 <= first < 0.4
    assert total - first < 0.1
    assert events[-1] == b"data: [DONE]\n\n"


async def test_it_streams_tokens_at_the_configured_rate(settings) -> None:
    settings.EMULATOR_TTFT_MS = 0
    settings.EMULATOR_TOKENS_PER_SECOND = 400

    first, total, events = await timed_stream(chat_body(stream=True, max_tokens=80))

    # 80 tokens at 400 a second: the first two come at once, the rest over ~0.2 s.
    assert first < 0.05
    assert 0.18 <= total < 0.45
    assert len(events) > 10


async def test_it_makes_a_non_streaming_caller_wait_for_the_whole_reply(settings) -> None:
    settings.EMULATOR_TTFT_MS = 100
    settings.EMULATOR_TOKENS_PER_SECOND = 1000

    started = time.monotonic()
    response = await AsyncClient().post(
        URL, chat_body(max_tokens=100), content_type="application/json", headers=AUTH
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert 0.19 <= elapsed < 0.5


def test_it_reads_the_pace_settings_at_request_time(settings) -> None:
    settings.EMULATOR_TTFT_MS = 300
    settings.EMULATOR_TOKENS_PER_SECOND = 50.0

    assert pace_for(None) == Pace(first_token_seconds=0.3, tokens_per_second=50.0)


def test_it_makes_flex_slower_and_priority_faster(settings) -> None:
    settings.EMULATOR_TTFT_MS = 400
    settings.EMULATOR_TOKENS_PER_SECOND = 100.0

    flex, default, priority = pace_for("flex"), pace_for("default"), pace_for("priority")

    assert flex.first_token_seconds > default.first_token_seconds > priority.first_token_seconds
    assert flex.tokens_per_second < default.tokens_per_second < priority.tokens_per_second
    assert pace_for("auto") == default


def test_it_thinks_longer_for_more_thinking_tokens_and_not_at_all_at_instant_pace() -> None:
    paced, instant = Pace(0.4, 90.0), Pace(0.4, 0.0)

    assert paced.thinking_seconds(500) < paced.thinking_seconds(8000) <= THINKING_MAX_SECONDS
    assert paced.thinking_seconds(10**7) == THINKING_MAX_SECONDS
    assert instant.thinking_seconds(8000) == 0


def test_it_delays_the_answer_by_the_thinking_time() -> None:
    pace = Pace(first_token_seconds=0.5, tokens_per_second=100.0)
    answer = "word " * 30

    def first_answer_at(thinking: int) -> float:
        reply = Reply(index=0, answer=answer, finish_reason="stop", thinking_tokens=thinking)
        return choice_timeline(reply, pace)[0].at

    assert first_answer_at(0) == 0.5
    assert first_answer_at(4000) == pytest.approx(0.5 + 4000 / (100 * 40))
    assert first_answer_at(400) < first_answer_at(4000)


def test_it_streams_thoughts_before_thinking_time_and_answer_after() -> None:
    pace = Pace(first_token_seconds=0.2, tokens_per_second=50.0)
    reply = Reply(
        index=0, answer="An answer.", finish_reason="stop", thinking_tokens=2000, thought="Hmm."
    )

    timeline = choice_timeline(reply, pace)

    assert timeline[0].at == 0.2 and timeline[0].delta["content"] == "<thought>Hmm."
    first_answer = next(item for item in timeline if "</thought>" in item.delta["content"])
    assert first_answer.at > 0.2 + pace.thinking_seconds(2000)
    assert reply_seconds([reply], pace) == timeline[-1].at
