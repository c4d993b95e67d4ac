"""Smoke test: the benchmark runs end to end and reports every figure (no thresholds here)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.servers import REPO

PATHS = ("playground", "floor", "direct")


def test_the_quick_benchmark_reports_every_figure(tmp_path):
    out = tmp_path / "figures.json"
    run = subprocess.run(
        [sys.executable, "manage.py", "benchmark", "--quick", "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert {(row["pace"], row["streams"]) for row in figures["ttft"]} == {
        ("instant", 1), ("instant", 4), ("realistic", 1), ("realistic", 4), ("realistic", 6)
    }  # fmt: skip
    for row in figures["ttft"]:
        assert row["samples"] >= 3
        assert all(row["p50"][f"{path}_ms"] > 0 for path in PATHS)
    realistic = [row for row in figures["ttft"] if row["pace"] == "realistic"]
    assert all(row["p50"]["direct_ms"] >= 400 for row in realistic), "the emulator's 450 ms"
    for row in figures["throughput"]:
        assert all(row[f"{path}_chunks_per_s"] > 0 for path in PATHS)
        assert row["playground_cpu_us_per_chunk"] > 0
    split = figures["cpu_split"]
    assert split["chunks"]["64kb"] > 10 * split["chunks"]["1kb"]
    assert {"marginal_us_per_chunk", "fixed_ms_per_reply"} <= set(split["playground"])
    assert figures["page"]["total_gzip_bytes"] > figures["page"]["chat_page_gzip_bytes"] > 0
    assert figures["page"]["render_50_turns_p50_ms"] > 0
    assert figures["fan_out"]["panes"] == 2 and figures["fan_out"]["ratio"] > 0
    assert figures["load_before"]["cores"] >= 1
    assert "Machine load before" in run.stdout and "Render a 50-turn chat page" in run.stdout
