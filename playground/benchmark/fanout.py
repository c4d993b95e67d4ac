"""Compare fan-out: an 8-pane compare against the slowest of its panes run alone.

Measured against the emulator at its default pace (450 ms to the first token, 90 tokens a
second): at instant pace eight panes on a two-core machine are CPU-bound, which would measure
the CPU, not whether the panes really run side by side.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import websockets

from playground.benchmark.processes import ServedPlayground

DEFAULT_PACE = {"EMULATOR_TTFT_MS": "450", "EMULATOR_TOKENS_PER_SECOND": "90"}
PROMPT = "Why is the sky blue? Answer in two short paragraphs."
PANES = [
    *({"model": "gemini-2.5-flash", "reasoning_mode": "effort", "reasoning_effort": effort}
      for effort in ("none", "minimal", "low", "medium", "high")),
    *({"model": "gemini-3-flash-preview", "reasoning_mode": "level", "thinking_level": level,
       "include_thoughts": "on"} for level in ("low", "medium", "high")),
]  # fmt: skip
FINISHED = "<h2>Summary</h2>"


def _payload(panes: list[dict[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "run", "prompt": PROMPT, "system_prompt": "",
        "pane-TOTAL_FORMS": str(len(panes)), "pane-INITIAL_FORMS": "0",
        "pane-MIN_NUM_FORMS": "1", "pane-MAX_NUM_FORMS": "8",
    }  # fmt: skip
    for index, pane in enumerate(panes):
        for key, value in {"service_tier": "default", **pane}.items():
            data[f"pane-{index}-{key}"] = value
    return data


async def _run(served: ServedPlayground, cookie: str, panes: list[dict[str, str]]) -> float:
    url = served.base_url.replace("http", "ws") + "/ws/compare/"
    async with websockets.connect(
        url, origin=served.base_url, additional_headers={"Cookie": cookie}
    ) as socket:
        started = time.perf_counter()
        await socket.send(json.dumps(_payload(panes)))
        while FINISHED not in await asyncio.wait_for(socket.recv(), timeout=180):
            pass
        return time.perf_counter() - started


async def fan_out(served: ServedPlayground, cookie: str, panes: int) -> dict[str, Any]:
    chosen = PANES[:panes]
    await _run(served, cookie, chosen[:1])  # warm up: imports, the model list cache
    together = await _run(served, cookie, chosen)
    alone = [await _run(served, cookie, [pane]) for pane in chosen]
    return {
        "panes": len(chosen),
        "wall_s": together,
        "slowest_pane_s": max(alone),
        "sum_of_panes_s": sum(alone),
        "ratio": together / max(alone),
    }
