"""A reply's timeline: recorded compact as it arrives, replayed at the recorded pace."""

from __future__ import annotations

import json

from playground.llm.streaming import AnswerDelta, FinishEvent, ThoughtDelta, UsageEvent
from playground.runs.replay import replayed_events, timeline_fragments
from playground.runs.timeline import TimelineRecorder


class FakeClock:
    """A clock that moves only when told to, or when the replay sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def recorded(steps: list[tuple[float, str, str]], **kwargs) -> dict:
    clock = FakeClock()
    recorder = TimelineRecorder(started=clock.now, clock=clock, **kwargs)
    for at, kind, text in steps:
        clock.now = 100.0 + at
        recorder.add(kind, text)
    return recorder.timeline()


def test_it_merges_same_kind_fragments_that_arrive_within_30_ms() -> None:
    timeline = recorded([
        (0.100, "thought", "Let me "), (0.110, "thought", "think."),
        (0.500, "answer", "Par"), (0.520, "answer", "is"), (0.560, "answer", " is big."),
    ])  # fmt: skip
    assert timeline["fragments"] == [
        ["thought", 100, "Let me think."], ["answer", 500, "Paris"], ["answer", 560, " is big."],
    ]  # fmt: skip
    assert timeline["end_ms"] == 560 and timeline["truncated"] is False


def test_it_stops_recording_at_its_size_cap_and_says_so() -> None:
    steps = [(i * 0.1, "answer", "x" * 100) for i in range(100)]
    timeline = recorded(steps, max_chars=1000)
    assert timeline["truncated"] is True
    assert len(json.dumps(timeline)) < 1400
    assert len(timeline["fragments"]) < 10


def test_only_the_last_usage_is_kept_in_its_place() -> None:
    clock = FakeClock()
    recorder = TimelineRecorder(started=clock.now, clock=clock)
    recorder.add("answer", "Hi")
    for n in (1, 2, 3):
        clock.now += 0.05
        recorder.add_usage({"prompt_tokens": n, "completion_tokens": 1,
                            "total_tokens": n + 1, "thinking_tokens": 0})  # fmt: skip
    fragments = recorder.timeline()["fragments"]
    assert [kind for kind, _, _ in fragments] == ["answer", "usage"]
    assert json.loads(fragments[1][2])["prompt_tokens"] == 3 and fragments[1][1] == 150


async def test_a_replay_keeps_the_recorded_pace_within_ten_percent() -> None:
    timeline = {"v": 1, "end_ms": 3000, "fragments": [
        ["thought", 200, "Hmm."], ["answer", 1200, "Par"], ["answer", 1500, "is"],
        ["usage", 2900, '{"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 9,'
                         ' "thinking_tokens": 4}'],
        ["finish", 2950, "stop"],
    ]}  # fmt: skip
    for speed in (1, 2, 4):
        clock = FakeClock()
        start = clock.now
        seen = [
            (round((clock.now - start) * 1000), event)
            async for event in replayed_events(
                timeline, speed=speed, clock=clock, sleep=clock.sleep
            )
        ]
        for (ms, _), (_, recorded_ms, _) in zip(seen, timeline["fragments"], strict=True):
            assert abs(ms - recorded_ms / speed) <= 0.1 * recorded_ms / speed
        assert abs((clock.now - start) - 3.0 / speed) < 0.3 / speed, "it ends when it ended"
        events = [event for _, event in seen]
        assert events[:3] == [ThoughtDelta("Hmm."), AnswerDelta("Par"), AnswerDelta("is")]
        assert events[3] == UsageEvent(3, 2, 9, 4) and events[4] == FinishEvent(0, "stop")


def test_malformed_fragments_are_passed_over() -> None:
    timeline = {"fragments": [["answer", 5, "ok"], ["answer", -1, "x"], ["answer", "5", "x"],
                              ["answer", 5], "junk", ["answer", True, "x"]]}  # fmt: skip
    assert timeline_fragments(timeline) == [("answer", 5, "ok")]
    assert timeline_fragments(None) == [] and timeline_fragments({"fragments": 3}) == []
