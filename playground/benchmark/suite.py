"""The benchmark's measurements, each the same work done direct and relayed in one run."""

from __future__ import annotations

import asyncio
import gzip
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.request import Request, urlopen

from playground.benchmark.fanout import fan_out
from playground.benchmark.measures import cpu_seconds, percentile, rss_bytes
from playground.benchmark.probes import (
    RelayedClient,
    StreamTiming,
    direct_stream,
    gather_timed,
    session_cookie,
)
from playground.benchmark.processes import ServedPlayground

MODEL = "gemini-2.0-flash"  # no thinking: the emulator's answer starts at once
PROMPT = "Tell me about rivers."
SIZED_PROMPT = "Write about rivers, about {kb} KB long."
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


@dataclass(frozen=True)
class Levels:
    streams: tuple[int, ...]
    sockets: int
    render_requests: int
    repeats: int
    panes: int


async def run_suite(
    emulator: ServedPlayground,
    playground: ServedPlayground,
    paced: ServedPlayground,
    levels: Levels,
) -> dict[str, Any]:
    cookie = session_cookie(playground.first_login_link)
    pid = playground.process.pid if playground.process else 0
    figures: dict[str, Any] = {"model": MODEL, "levels": list(levels.streams)}
    # First of all: after other work the server holds freed memory that new sockets would reuse.
    figures["memory_per_socket"] = await _memory_per_socket(playground, cookie, pid, levels)
    await _warm_up(emulator, playground, cookie)
    figures["ttft"] = [
        await _ttft_at(emulator, playground, cookie, streams, levels.repeats)
        for streams in levels.streams
    ]
    figures["throughput"] = await _throughput(emulator, playground, cookie, pid, levels)
    small, large = [await _cpu_per_chunk(emulator, playground, cookie, pid, kb) for kb in (1, 64)]
    figures["cpu_by_answer_size"] = [small, large]
    # Per reply = fixed + chunks x marginal: two sizes give both parts.
    marginal = (large["cpu_us_per_reply"] - small["cpu_us_per_reply"]) / (
        large["chunks"] - small["chunks"]
    )
    figures["cpu_split"] = {
        "marginal_us_per_chunk": marginal,
        "fixed_us_per_reply": small["cpu_us_per_reply"] - marginal * small["chunks"],
    }
    figures["page"] = await _page(playground, cookie, levels)
    figures["fan_out"] = await fan_out(paced, session_cookie(paced.first_login_link), levels.panes)
    return figures


async def _direct(emulator: ServedPlayground, streams: int, prompt: str = PROMPT):
    return await gather_timed(
        [direct_stream(emulator.emulator_url, model=MODEL, prompt=prompt) for _ in range(streams)]
    )


async def _relayed(playground: ServedPlayground, cookie: str, streams: int, prompt: str = PROMPT):
    clients = [await RelayedClient(playground.base_url, cookie).open() for _ in range(streams)]
    try:
        return await gather_timed([c.run(model=MODEL, prompt=prompt) for c in clients])
    finally:
        await asyncio.gather(*(c.close() for c in clients))


async def _warm_up(emulator: ServedPlayground, playground: ServedPlayground, cookie: str) -> None:
    await _direct(emulator, 2)
    await _relayed(playground, cookie, 2)


async def _ttft_at(
    emulator: ServedPlayground,
    playground: ServedPlayground,
    cookie: str,
    streams: int,
    repeats: int,
) -> dict[str, Any]:
    direct: list[StreamTiming] = []
    relayed: list[StreamTiming] = []
    for _ in range(repeats):
        direct += (await _direct(emulator, streams))[0]
        relayed += (await _relayed(playground, cookie, streams))[0]
    row: dict[str, Any] = {"streams": streams, "samples": len(direct)}
    for name, fraction in (("p50", 0.5), ("p99", 0.99)):
        d = percentile([t.ttft for t in direct], fraction) * 1000
        r = percentile([t.ttft for t in relayed], fraction) * 1000
        row[name] = {"direct_ms": d, "relayed_ms": r, "added_ms": r - d}
    return row


async def _throughput(
    emulator: ServedPlayground, playground: ServedPlayground, cookie: str, pid: int, levels: Levels
) -> dict[str, Any]:
    prompt = SIZED_PROMPT.format(kb=16)
    (one_direct,), _ = await _direct(emulator, 1, prompt)
    (one_relayed,), _ = await _relayed(playground, cookie, 1, prompt)
    chunks = one_direct.chunks  # the same reply both ways: the emulator is deterministic
    many = max(levels.streams)
    all_direct, direct_wall = await _direct(emulator, many, prompt)
    cpu_before = cpu_seconds(pid)
    _, relayed_wall = await _relayed(playground, cookie, many, prompt)
    cpu_used = cpu_seconds(pid) - cpu_before
    total = sum(t.chunks for t in all_direct)
    return {
        "chunks_per_reply": chunks,
        "one_stream": {
            "direct_chunks_per_s": chunks / one_direct.seconds,
            "relayed_chunks_per_s": chunks / one_relayed.seconds,
            "ratio": one_direct.seconds / one_relayed.seconds,
        },
        "all_streams": {
            "streams": many,
            "direct_chunks_per_s": total / direct_wall,
            "relayed_chunks_per_s": total / relayed_wall,
            "ratio": direct_wall / relayed_wall,
        },
        "server_cpu_us_per_chunk": cpu_used / total * 1e6,
    }


async def _cpu_per_chunk(
    emulator: ServedPlayground, playground: ServedPlayground, cookie: str, pid: int, kb: int
) -> dict[str, Any]:
    prompt = SIZED_PROMPT.format(kb=kb)
    (direct,), _ = await _direct(emulator, 1, prompt)
    runs = 5
    client = await RelayedClient(playground.base_url, cookie).open()
    try:
        cpu_before = cpu_seconds(pid)
        for _ in range(runs):
            await client.run(model=MODEL, prompt=prompt)
        cpu_used = cpu_seconds(pid) - cpu_before
    finally:
        await client.close()
    return {
        "answer_kb": round(direct.text_bytes / 1024, 1),
        "chunks": direct.chunks,
        "server_cpu_us_per_chunk": cpu_used / (direct.chunks * runs) * 1e6,
        "cpu_us_per_reply": cpu_used / runs * 1e6,
    }


async def _memory_per_socket(
    playground: ServedPlayground, cookie: str, pid: int, levels: Levels
) -> dict[str, Any]:
    before = rss_bytes(pid)
    clients = [
        await RelayedClient(playground.base_url, cookie).open() for _ in range(levels.sockets)
    ]
    await asyncio.sleep(1.0)
    after = rss_bytes(pid)
    await asyncio.gather(*(c.close() for c in clients))
    return {"sockets": levels.sockets, "bytes_per_socket": (after - before) / levels.sockets}


def _get(url: str, cookie: str) -> tuple[bytes, dict[str, str], float]:
    request = Request(url, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
    started = time.perf_counter()
    with urlopen(request, timeout=30) as response:
        body = response.read()
        return body, dict(response.headers), time.perf_counter() - started


async def _page(playground: ServedPlayground, cookie: str, levels: Levels) -> dict[str, Any]:
    page, headers, _ = _get(playground.base_url + "/chat/", cookie)
    html = gzip.decompress(page) if headers.get("Content-Encoding") == "gzip" else page
    assets = {
        url: len(_get(playground.base_url + url, cookie)[0]) for url in ASSET.findall(html.decode())
    }
    conversation = await _fifty_turns(playground, cookie)
    url = f"{playground.base_url}/chat/{conversation}/"
    times = [_get(url, cookie)[2] * 1000 for _ in range(levels.render_requests)]
    return {
        "chat_page_gzip_bytes": len(page),
        "assets_gzip_bytes": assets,
        "total_gzip_bytes": len(page) + sum(assets.values()),
        "render_50_turns_p50_ms": percentile(times, 0.5),
    }


async def _fifty_turns(playground: ServedPlayground, cookie: str) -> str:
    """A conversation of 25 prompts and 25 replies, made through the socket."""
    client = await RelayedClient(playground.base_url, cookie).open()
    try:
        await client.run(model=MODEL, prompt="Turn 1: make a table and a code block.")
        conversation = client.last_conversation
        for number in range(2, 26):
            await client.run(
                model=MODEL, prompt=f"Turn {number}: go on.", conversation=conversation
            )
        return conversation
    finally:
        await client.close()
