"""Stream measurements: the same work through the playground, the floor relay and direct.

Every figure is taken in one run with the three paths taking turns (one stream: sample by
sample; many streams: round by round, the first path rotating), so a busy moment on the
machine lands on all three alike.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playground.benchmark.measures import cpu_seconds, percentile
from playground.benchmark.probes import (
    DirectProbe,
    FloorProbe,
    PlaygroundProbe,
    Probe,
    StreamTiming,
    run_together,
)

PATHS = ("playground", "floor", "direct")
PROMPT = "Tell me about rivers."
SIZED_PROMPT = "Write about rivers, about {kb} KB long."


@dataclass
class Stack:
    """One emulator, the playground and the floor relay in front of it, and a signed-in user."""

    emulator_url: str
    playground_url: str
    floor_url: str
    cookie: str
    pids: dict[str, int]  # "playground" and "floor": server processes whose CPU is read

    def probe_makers(self) -> dict[str, Callable[[], Probe]]:
        return {
            "playground": lambda: PlaygroundProbe(self.playground_url, self.cookie),
            "floor": lambda: FloorProbe(self.floor_url),
            "direct": lambda: DirectProbe(self.emulator_url),
        }

    async def probes(self, count: int) -> dict[str, list[Probe]]:
        made = {path: [make() for _ in range(count)] for path, make in self.probe_makers().items()}
        for probes in made.values():
            for probe in probes:  # one by one: a burst of handshakes is not what is measured
                await probe.open()
        return made


async def close_all(probes: dict[str, list[Probe]]) -> None:
    await asyncio.gather(*(probe.close() for group in probes.values() for probe in group))


def _rotated(turn: int) -> tuple[str, ...]:
    return PATHS[turn % 3 :] + PATHS[: turn % 3]


def _ttft_row(label: str, streams: int, timings: dict[str, list[StreamTiming]]) -> dict[str, Any]:
    row: dict[str, Any] = {"pace": label, "streams": streams, "samples": len(timings["direct"])}
    for name, fraction in (("p50", 0.5), ("p99", 0.99)):
        values = {
            path: percentile([t.ttft for t in timings[path]], fraction) * 1000 for path in PATHS
        }
        row[name] = {
            **{f"{path}_ms": value for path, value in values.items()},
            "playground_added_ms": values["playground"] - values["direct"],
            "floor_added_ms": values["floor"] - values["direct"],
        }
    return row


async def ttft(
    stack: Stack, *, label: str, streams: int, samples: int, first_text_only: bool = False
) -> dict[str, Any]:
    """TTFT of the three paths at `streams` concurrent streams, `samples` per path at least."""
    probes = await stack.probes(streams)
    timings: dict[str, list[StreamTiming]] = {path: [] for path in PATHS}
    try:
        for turn in range(max(1, -(-samples // streams))):
            for path in _rotated(turn):
                results, _ = await run_together(
                    probes[path], PROMPT, first_text_only=first_text_only
                )
                timings[path] += results
    finally:
        await close_all(probes)
    return _ttft_row(label, streams, timings)


async def throughput(
    stack: Stack, *, streams: int, replies: int, chunks_per_reply: int
) -> dict[str, Any]:
    """Answer chunks a second through each path, `streams` replies at once; server CPU too."""
    probes = await stack.probes(streams)
    seconds = dict.fromkeys(PATHS, 0.0)
    cpu = dict.fromkeys(stack.pids, 0.0)
    prompt = SIZED_PROMPT.format(kb=16)
    try:
        for turn in range(replies):
            for path in _rotated(turn):
                before = cpu_seconds(stack.pids[path]) if path in stack.pids else 0.0
                _, wall = await run_together(probes[path], prompt)
                seconds[path] += wall
                if path in stack.pids:
                    cpu[path] += cpu_seconds(stack.pids[path]) - before
    finally:
        await close_all(probes)
    chunks = chunks_per_reply * streams * replies
    row: dict[str, Any] = {"streams": streams, "chunks": chunks}
    for path in PATHS:
        row[f"{path}_chunks_per_s"] = chunks / seconds[path]
    for path in stack.pids:
        row[f"{path}_ratio"] = row[f"{path}_chunks_per_s"] / row["direct_chunks_per_s"]
        row[f"{path}_cpu_us_per_chunk"] = cpu[path] / chunks * 1e6
    return row


async def answer_chunks(stack: Stack, prompt: str) -> int:
    """How many pieces of answer text the emulator streams for `prompt` (it is deterministic)."""
    probe = DirectProbe(stack.emulator_url)
    try:
        return (await probe.run(prompt)).frames
    finally:
        await probe.close()


async def cpu_split(stack: Stack, *, runs: int) -> dict[str, Any]:
    """Server CPU per reply at 1 KB and 64 KB answers: a marginal cost per chunk plus a fixed
    cost per reply (per reply = fixed + chunks x marginal, two sizes give both)."""
    sizes = {kb: await answer_chunks(stack, SIZED_PROMPT.format(kb=kb)) for kb in (1, 64)}
    figures: dict[str, Any] = {"chunks": {f"{kb}kb": n for kb, n in sizes.items()}}
    makers = stack.probe_makers()
    for path, pid in stack.pids.items():
        probe = makers[path]()
        await probe.open()
        per_reply = {}
        try:
            for kb in sizes:
                # CPU time is read in clock ticks (10 ms): enough replies to fill many, and
                # to drown whatever the server still does after the step before (120 small
                # replies: ~1.5 s of CPU, where 24 swung the fixed cost 9.7 -> 14.5 ms).
                repeats = runs * 40 if kb == 1 else runs * 2
                before = cpu_seconds(pid)
                for _ in range(repeats):
                    await probe.run(SIZED_PROMPT.format(kb=kb))
                per_reply[kb] = (cpu_seconds(pid) - before) / repeats
        finally:
            await probe.close()
        marginal = (per_reply[64] - per_reply[1]) / (sizes[64] - sizes[1])
        figures[path] = {
            "us_per_chunk_1kb": per_reply[1] / sizes[1] * 1e6,
            "us_per_chunk_64kb": per_reply[64] / sizes[64] * 1e6,
            "marginal_us_per_chunk": marginal * 1e6,
            "fixed_ms_per_reply": (per_reply[1] - marginal * sizes[1]) * 1000,
        }
    return figures


async def warm_up(stack: Stack) -> None:
    probes = await stack.probes(2)
    try:
        # Every path at once: a warm-up only opens connections and loads code, and at
        # realistic pace one path after another would take three paced replies.
        await asyncio.gather(*(run_together(probes[path], PROMPT) for path in PATHS))
    finally:
        await close_all(probes)
