"""The compare fan-out row times the same replies on both sides."""

from __future__ import annotations

from playground.benchmark.fanout import PANES, _payload
from playground.emulator.chat_request import chat_request_parse


def test_every_pane_asks_with_a_seed_so_the_emulator_answers_alike_each_time() -> None:
    """Without a seed the emulator draws every reply anew: the slowest pane alone took 5.8 to
    7.2 s from one run to the next, and the ratio measured that, not running side by side."""
    data = _payload(PANES)

    seeds = {data[f"pane-{index}-seed"] for index in range(len(PANES))}

    assert len(seeds) == 1 and seeds.pop().isdigit()


def test_the_emulator_answers_a_seeded_request_alike_and_an_unseeded_one_anew() -> None:
    body = b'{"model": "gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}]'
    seeded = body + b', "seed": 7}'
    unseeded = body + b"}"

    assert chat_request_parse(seeded).fingerprint == chat_request_parse(seeded).fingerprint
    assert chat_request_parse(unseeded).fingerprint != chat_request_parse(unseeded).fingerprint
