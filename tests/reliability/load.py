"""Many chat streams at once on one playground process, against an instant emulator.

Every stream asks the emulator for numbered chunks ("w1 ", "w2 ", ...), so a reader can tell a
chunk lost, doubled or out of order. Shared by the test (50 streams) and by the script:

    uv run python -m tests.reliability.load --streams 200 --chunks 200

which prints the figures as JSON: wall time, time to first text (p50, p99), memory per open
socket (RSS of the playground process, idle sockets) and at the peak of streaming.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from playground.benchmark.measures import percentile, rss_bytes
from tests.live_page import shown_text
from tests.reliability.serving import (
    OWN_ENGINES,
    PageSocket,
    chat_payload,
    served_with_faults,
)
from tests.servers import ServedPlayground

ASSISTANT = re.compile(r'<article id="turn-(\d+)" class="turn turn-assistant')
DONE = 'data-state="done" hx-swap-oob="outerHTML"'
# Nothing held back: the point is how one process carries many streams.
NO_LIMITS = {"LIMIT_CONCURRENT_STREAMS": "0", "LIMIT_REQUESTS_PER_MINUTE": "0",
             "LOG_LEVEL": "WARNING", **OWN_ENGINES}  # fmt: skip


@dataclass
class Figures:
    streams: int
    chunks_per_stream: int
    intact_streams: int = 0
    broken: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0
    first_text_p50_ms: float = 0.0
    first_text_p99_ms: float = 0.0
    rss_before_mb: float = 0.0
    bytes_per_idle_socket: float = 0.0
    bytes_per_streaming_socket: float = 0.0


async def _one(socket: PageSocket, number: int, chunks: int) -> tuple[float, str]:
    sent = time.perf_counter()
    await socket.send(**chat_payload(f"Stream {number} [emulator-fault:count-{chunks}]",
                                     model="gemini-2.0-flash"))  # fmt: skip
    started = await socket.receive_until("turn turn-assistant", timeout=120)
    turn = ASSISTANT.search(started)
    assert turn is not None
    target = f'id="t{turn.group(1)}-c0-answer" hx-swap-oob'
    first = None
    while True:
        frame = await socket.receive_until("", timeout=120)
        if first is None and target in frame:
            first = time.perf_counter()
        if DONE in frame:
            break
    text = shown_text(socket.frames, f"t{turn.group(1)}-c0-answer")
    return ((first or time.perf_counter()) - sent) * 1000, text


async def _sample_peak(pid: int, peak: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_bytes(pid))
        await asyncio.sleep(0.05)


async def run_load(playground: ServedPlayground, cookie: str, *, streams: int,
                   chunks: int) -> Figures:  # fmt: skip
    assert playground.process is not None
    pid = playground.process.pid
    figures = Figures(streams=streams, chunks_per_stream=chunks)
    before = rss_bytes(pid)
    sockets = [await PageSocket(playground, cookie).__aenter__() for _ in range(streams)]
    try:
        await asyncio.sleep(0.5)
        idle = rss_bytes(pid)
        peak, stop = [idle], asyncio.Event()
        sampler = asyncio.create_task(_sample_peak(pid, peak, stop))
        started = time.perf_counter()
        results = await asyncio.gather(*(_one(s, n, chunks) for n, s in enumerate(sockets)))
        figures.wall_seconds = time.perf_counter() - started
        stop.set()
        await sampler
    finally:
        await asyncio.gather(*(socket.close() for socket in sockets))
    expected = [f"w{n}" for n in range(1, chunks + 1)]
    for number, (_, text) in enumerate(results):
        if text.split() == expected:
            figures.intact_streams += 1
        else:
            figures.broken.append(f"stream {number}: {text[:80]!r}…")
    waits = [wait for wait, _ in results]
    figures.first_text_p50_ms = percentile(waits, 0.5)
    figures.first_text_p99_ms = percentile(waits, 0.99)
    figures.rss_before_mb = before / 2**20
    figures.bytes_per_idle_socket = (idle - before) / streams
    figures.bytes_per_streaming_socket = (peak[0] - before) / streams
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--chunks", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="playground-load-") as folder:
        emulator = served_with_faults(Path(folder) / "emulator", **NO_LIMITS).start()
        playground = ServedPlayground(
            data_dir=Path(folder) / "playground",
            env={"EMULATOR_BASE_URL": emulator.emulator_url, **NO_LIMITS},
        )
        try:
            playground.start()
            cookie = PageSocket.signed_in_cookie(playground)
            figures = asyncio.run(run_load(playground, cookie, streams=options.streams,
                                           chunks=options.chunks))  # fmt: skip
        finally:
            playground.stop()
            emulator.stop()
    print(json.dumps(asdict(figures), indent=2))


if __name__ == "__main__":
    main()
