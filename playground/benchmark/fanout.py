"""Compare fan-out: an 8-pane compare against the slowest of its panes run alone."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import websockets

PROMPT = "Why is the sky blue? Answer in two short paragraphs."
PANES = [
    *({"model": "gemini-2.5-flash", "reasoning_mode": "effort", "reasoning_effort": effort}
      for effort in ("none", "minimal", "low", "medium", "high")),
    *({"model": "gemini-3-flash-preview", "reasoning_mode": "level", "thinking_level": level,
       "include_thoughts": "on"} for level in ("low", "medium", "high")),
]  # fmt: skip
FINISHED = "<h2>Summary</h2>"
SEED = "7"


def _payload(panes: list[dict[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "run", "prompt": PROMPT, "system_prompt": "",
        "pane-TOTAL_FORMS": str(len(panes)), "pane-INITIAL_FORMS": "0",
        "pane-MIN_NUM_FORMS": "1", "pane-MAX_NUM_FORMS": "8",
    }  # fmt: skip
    for index, pane in enumerate(panes):
        # A seed: without one the emulator draws every reply anew (thinking, length), and the
        # slowest pane alone took 5.8 to 7.2 s from one run to the next.
        for key, value in {"service_tier": "default", "seed": SEED, **pane}.items():
            data[f"pane-{index}-{key}"] = value
    return data


async def _run(base_url: str, cookie: str, panes: list[dict[str, str]]) -> float:
    url = base_url.replace("http", "ws") + "/ws/compare/"
    async with websockets.connect(
        url, origin=base_url, additional_headers={"Cookie": cookie}
    ) as socket:
        started = time.perf_counter()
        await socket.send(json.dumps(_payload(panes)))
        while FINISHED not in await asyncio.wait_for(socket.recv(), timeout=180):
            pass
        return time.perf_counter() - started


async def fan_out(base_url: str, cookie: str, panes: int) -> dict[str, Any]:
    chosen = PANES[:panes]
    await _run(base_url, cookie, chosen[:1])  # warm up: imports, the model list cache
    together = await _run(base_url, cookie, chosen)
    alone = [await _run(base_url, cookie, [pane]) for pane in chosen]
    return {
        "panes": len(chosen),
        "wall_s": together,
        "slowest_pane_s": max(alone),
        "sum_of_panes_s": sum(alone),
        "ratio": together / max(alone),
    }
