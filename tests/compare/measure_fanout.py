"""Measures fan-out, not a test: an 8-pane compare against the emulator at its default pace.

    uv run python -m tests.compare.measure_fanout

Starts `manage.py serve` with the emulator's default pace (450 ms to the first token, 90 tokens a
second), signs in with a one-time link, and drives /ws/compare/ over a real WebSocket, as the
page does. It runs the eight panes together, then each pane alone, and prints the wall time of
the eight against the slowest single pane: near 1.0 means the panes really run side by side.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2
import websockets

from tests.servers import ServedPlayground

DEFAULT_PACE = {"EMULATOR_TTFT_MS": "450", "EMULATOR_TOKENS_PER_SECOND": "90"}
PROMPT = "Why is the sky blue? Answer in two short paragraphs."
PANES = [
    *({"model": "gemini-2.5-flash", "reasoning_mode": "effort", "reasoning_effort": effort}
      for effort in ("none", "minimal", "low", "medium", "high")),
    *({"model": "gemini-3-flash-preview", "reasoning_mode": "level", "thinking_level": level,
       "include_thoughts": "on"} for level in ("low", "medium", "high")),
]  # fmt: skip
FINISHED = "<h2>Summary</h2>"
PANE_TOTAL = re.compile(r"<dt>Total</dt><dd>([\d.]+) (ms|s)</dd>")


def payload(panes: list[dict[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "run", "prompt": PROMPT, "system_prompt": "",
        "pane-TOTAL_FORMS": str(len(panes)), "pane-INITIAL_FORMS": "0",
        "pane-MIN_NUM_FORMS": "1", "pane-MAX_NUM_FORMS": "8",
    }  # fmt: skip
    for index, pane in enumerate(panes):
        for key, value in {"service_tier": "default", **pane}.items():
            data[f"pane-{index}-{key}"] = value
    return data


def session_cookie(served: ServedPlayground) -> str:
    with httpx2.Client(follow_redirects=True) as client:
        client.get(served.login_link())
        return f"sessionid={client.cookies['sessionid']}"


async def run_once(served: ServedPlayground, cookie: str, panes: list[dict[str, str]]) -> dict:
    url = served.base_url.replace("http", "ws") + "/ws/compare/"
    headers = {"Cookie": cookie}
    async with websockets.connect(url, origin=served.base_url, additional_headers=headers) as ws:
        started = time.monotonic()
        await ws.send(json.dumps(payload(panes)))
        frames = []
        while True:
            frame = await asyncio.wait_for(ws.recv(), timeout=120)
            frames.append(frame)
            if FINISHED in frame:
                break
        wall = time.monotonic() - started
    totals = [
        float(value) / (1000 if unit == "ms" else 1)
        for frame in frames
        for value, unit in PANE_TOTAL.findall(frame)
        if 'hx-swap-oob="outerHTML"' in frame
    ]
    return {"wall": wall, "pane_totals": totals}


async def measure(served: ServedPlayground) -> None:
    cookie = session_cookie(served)
    await run_once(served, cookie, PANES[:1])  # warm up: imports, model list cache
    together = await run_once(served, cookie, PANES)
    alone = [(await run_once(served, cookie, [pane]))["wall"] for pane in PANES]
    slowest = max(alone)
    print(f"8 panes together, wall time:        {together['wall']:.2f} s")
    print("each pane alone, wall time:         " + ", ".join(f"{w:.2f}" for w in alone) + " s")
    print(f"slowest single pane:                {slowest:.2f} s")
    print(f"sum of the single panes:            {sum(alone):.2f} s")
    print(f"ratio, together / slowest alone:    {together['wall'] / slowest:.3f}")
    inside = together["pane_totals"]
    print(f"pane totals inside the 8-pane run:  {min(inside):.2f} to {max(inside):.2f} s")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="measure-fanout-") as data_dir:
        served = ServedPlayground(data_dir=Path(data_dir), env=DEFAULT_PACE).start()
        try:
            asyncio.run(measure(served))
        finally:
            served.stop()


if __name__ == "__main__":
    main()
