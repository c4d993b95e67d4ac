"""The benchmark run: two phases, each with its own emulator, playground and floor relay.

Instant pace (the emulator answers at once) measures what the relay costs in CPU and how fast
it can go; realistic pace (450 ms to the first token, 90 tokens a second, the emulator's
defaults) measures what a person waits for.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playground.benchmark import streams
from playground.benchmark.fanout import fan_out
from playground.benchmark.pages import memory_per_socket, page_figures
from playground.benchmark.probes import MODEL, session_cookie
from playground.benchmark.processes import FloorRelay, ServedPlayground

INSTANT = {"EMULATOR_TTFT_MS": "0", "EMULATOR_TOKENS_PER_SECOND": "0"}
REALISTIC = {"EMULATOR_TTFT_MS": "450", "EMULATOR_TOKENS_PER_SECOND": "90"}
# Migrating a fresh database is slow on a busy machine.
START_SECONDS = 180.0
PLAYGROUND_ENV = {
    "EMULATOR_RECORD_REQUESTS": "false",
    "LOG_LEVEL": "WARNING",
    # One person runs every stream: the per-person limits would refuse most.
    "LIMIT_CONCURRENT_STREAMS": "0",
    "LIMIT_REQUESTS_PER_MINUTE": "0",
    # One socket sends a hundred prompts back to back at instant pace: past the per-socket
    # message bucket (10 a second), which closed it with 4008 mid-measurement.
    "SOCKET_FRAMES_PER_SECOND": "0",
}


FAILURES: list[str] = []  # measurements that failed in this run, reported under the table


async def step[T](name: str, work: Awaitable[T]) -> T | None:
    """Runs one measurement and says on stderr how long it took (a full run takes minutes).

    A measurement that fails (a reply that never ends on a saturated server) is reported as
    failed, and the others are still taken.
    """
    started = time.monotonic()
    outcome = "took"
    try:
        result: T | None = await work
    except Exception as exc:
        FAILURES.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
        result, outcome = None, "failed after"
    took, load = time.monotonic() - started, os.getloadavg()[0]
    line = f"benchmark: {name} {outcome} {took:.0f} s (load {load:.1f})"
    print(line, file=sys.stderr, flush=True)
    return result


@dataclass(frozen=True)
class Levels:
    one_stream_samples: int  # per path, one stream at a time
    many_streams: int
    many_samples: int  # per path, at `many_streams`
    crowd_streams: int  # at realistic pace only
    throughput_replies: int
    cpu_runs: int
    sockets: int
    render_requests: int
    panes: int
    # Many streams at realistic pace read their whole replies (the load a crowd makes); the
    # smoke test stops each at its first text, which is all it checks (seconds saved).
    whole_replies_in_crowds: bool = True


def machine_load() -> dict[str, Any]:
    one, five, fifteen = os.getloadavg()
    return {"cores": os.cpu_count(), "load_1m": one, "load_5m": five, "load_15m": fifteen}


@contextmanager
def served_stack(folder: Path, pace: dict[str, str]) -> Iterator[streams.Stack]:
    emulator = ServedPlayground(data_dir=folder / "emulator", env={**PLAYGROUND_ENV, **pace})
    # The emulator's address is known before it listens (its port is chosen up front), and
    # nobody calls it until the stack is up: the three processes start side by side.
    playground = ServedPlayground(
        data_dir=folder / "playground",
        env={**PLAYGROUND_ENV, "EMULATOR_BASE_URL": emulator.emulator_url},
    )
    floor = FloorRelay(upstream=emulator.emulator_url)
    try:
        with ThreadPoolExecutor(max_workers=3) as starting:
            started = [
                starting.submit(emulator.start, timeout=START_SECONDS),
                starting.submit(playground.start, timeout=START_SECONDS),
                starting.submit(floor.start),
            ]
        for start in started:
            start.result()  # raises what a start raised
        assert playground.process is not None and floor.process is not None
        yield streams.Stack(
            emulator_url=emulator.emulator_url,
            playground_url=playground.base_url,
            floor_url=floor.url,
            cookie=session_cookie(playground.first_login_link),
            pids={"playground": playground.process.pid, "floor": floor.process.pid},
        )
    except BaseException:
        for name, server in (("emulator", emulator), ("playground", playground)):
            print(f"--- {name} output ---", *server.output[-40:], sep="\n", file=sys.stderr)
        raise
    finally:
        for server in (floor, playground, emulator):
            server.stop()


async def instant_phase(stack: streams.Stack, levels: Levels) -> dict[str, Any]:
    pid = stack.pids["playground"]
    figures: dict[str, Any] = {
        "memory_per_socket": await step(
            "memory", memory_per_socket(stack.playground_url, stack.cookie, pid, levels.sockets)
        )
    }
    await step("warm-up", streams.warm_up(stack))
    ttft_rows = [
        await step(
            f"instant TTFT at {count}",
            streams.ttft(stack, label="instant", streams=count, samples=samples),
        )
        for count, samples in (
            (1, levels.one_stream_samples),
            (levels.many_streams, levels.many_samples),
        )
    ]
    figures["ttft"] = [row for row in ttft_rows if row is not None]
    chunks = await streams.answer_chunks(stack, streams.SIZED_PROMPT.format(kb=16))
    throughput_rows = [
        await step(
            f"chunks/s at {count}",
            streams.throughput(stack, streams=count, replies=replies, chunks_per_reply=chunks),
        )
        for count, replies in ((1, levels.throughput_replies), (levels.many_streams, 1))
    ]
    figures["throughput"] = [row for row in throughput_rows if row is not None]
    figures["cpu_split"] = await step("CPU split", streams.cpu_split(stack, runs=levels.cpu_runs))
    figures["page"] = await step(
        "page", page_figures(stack.playground_url, stack.cookie, levels.render_requests)
    )
    return {key: value for key, value in figures.items() if value is not None}


async def realistic_phase(stack: streams.Stack, levels: Levels) -> dict[str, Any]:
    await step("warm-up", streams.warm_up(stack))
    rows: list[dict[str, Any] | None] = [
        # One stream: the reply is stopped at its first text (the rest of a paced reply would
        # only make the run longer); every path then opens a new upstream connection alike.
        await step(
            "realistic TTFT at 1",
            streams.ttft(
                stack,
                label="realistic",
                streams=1,
                samples=levels.one_stream_samples,
                first_text_only=True,
            ),
        )
    ]
    for count, samples in (
        (levels.many_streams, levels.many_samples),
        (levels.crowd_streams, levels.crowd_streams),
    ):
        rows.append(
            await step(
                f"realistic TTFT at {count}",
                streams.ttft(
                    stack,
                    label="realistic",
                    streams=count,
                    samples=samples,
                    first_text_only=not levels.whole_replies_in_crowds,
                ),
            )
        )
    fan = await step("compare fan-out", fan_out(stack.playground_url, stack.cookie, levels.panes))
    done = {"ttft": [row for row in rows if row is not None], "fan_out": fan}
    return {key: value for key, value in done.items() if value is not None}


def run_benchmark(folder: Path, levels: Levels) -> dict[str, Any]:
    figures: dict[str, Any] = {"model": MODEL, "load_before": machine_load()}
    with served_stack(folder / "instant", INSTANT) as stack:
        figures.update(asyncio.run(instant_phase(stack, levels)))
    with served_stack(folder / "realistic", REALISTIC) as stack:
        # Fan-out at realistic pace too: at instant pace eight panes on two cores measure the
        # CPU, not whether the panes run side by side.
        realistic = asyncio.run(realistic_phase(stack, levels))
    figures["ttft"] = figures.get("ttft", []) + realistic["ttft"]
    if "fan_out" in realistic:
        figures["fan_out"] = realistic["fan_out"]
    figures["load_after"] = machine_load()
    figures["failures"] = list(FAILURES)
    return figures
