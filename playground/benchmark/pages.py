"""What a person's browser sees: memory per open page, page weight, rendering a long chat."""

from __future__ import annotations

import asyncio
import gzip
import re
import time
from typing import Any
from urllib.request import Request, urlopen

from playground.benchmark.measures import percentile, rss_bytes
from playground.benchmark.probes import PlaygroundProbe

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


async def memory_per_socket(base_url: str, cookie: str, pid: int, sockets: int) -> dict[str, Any]:
    """Measured first: after other work the server holds freed memory new sockets would reuse."""
    before = rss_bytes(pid)
    probes = [PlaygroundProbe(base_url, cookie) for _ in range(sockets)]
    for probe in probes:
        await probe.open()
    await asyncio.sleep(1.0)
    after = rss_bytes(pid)
    await asyncio.gather(*(probe.close() for probe in probes))
    return {"sockets": sockets, "bytes_per_socket": (after - before) / sockets}


def _get(url: str, cookie: str) -> tuple[bytes, dict[str, str], float]:
    request = Request(url, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
    started = time.perf_counter()
    with urlopen(request, timeout=30) as response:
        body = response.read()
        return body, dict(response.headers), time.perf_counter() - started


async def page_figures(base_url: str, cookie: str, render_requests: int) -> dict[str, Any]:
    page, headers, _ = await asyncio.to_thread(_get, base_url + "/chat/", cookie)
    html = gzip.decompress(page) if headers.get("Content-Encoding") == "gzip" else page
    assets = {}
    for url in ASSET.findall(html.decode()):
        assets[url] = len((await asyncio.to_thread(_get, base_url + url, cookie))[0])
    conversation = await _fifty_turns(base_url, cookie)
    url = f"{base_url}/chat/{conversation}/"
    times = []
    for _ in range(render_requests):
        times.append((await asyncio.to_thread(_get, url, cookie))[2] * 1000)
    return {
        "chat_page_gzip_bytes": len(page),
        "assets_gzip_bytes": assets,
        "total_gzip_bytes": len(page) + sum(assets.values()),
        "render_50_turns_p50_ms": percentile(times, 0.5),
    }


async def _fifty_turns(base_url: str, cookie: str) -> str:
    """A conversation of 25 prompts and 25 replies, made through the socket."""
    probe = PlaygroundProbe(base_url, cookie)
    try:
        await probe.run("Turn 1: make a table and a code block.")
        conversation = probe.last_conversation
        for number in range(2, 26):
            await probe.run(f"Turn {number}: go on.", conversation=conversation)
        return conversation
    finally:
        await probe.close()
