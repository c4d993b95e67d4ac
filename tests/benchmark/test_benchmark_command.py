"""Smoke test: the benchmark runs end to end and reports every figure (no thresholds here)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.servers import REPO


def test_the_quick_benchmark_reports_every_figure(tmp_path):
    out = tmp_path / "figures.json"
    run = subprocess.run(
        [sys.executable, "manage.py", "benchmark", "--quick", "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert [row["streams"] for row in figures["ttft"]] == figures["levels"]
    for row in figures["ttft"]:
        assert row["p50"]["direct_ms"] > 0 and row["p50"]["relayed_ms"] > 0
    assert figures["throughput"]["one_stream"]["relayed_chunks_per_s"] > 0
    assert figures["throughput"]["server_cpu_us_per_chunk"] > 0
    small, large = figures["cpu_by_answer_size"]
    assert large["chunks"] > 10 * small["chunks"]
    assert figures["page"]["total_gzip_bytes"] > figures["page"]["chat_page_gzip_bytes"] > 0
    assert figures["page"]["render_50_turns_p50_ms"] > 0
    assert figures["fan_out"]["panes"] == 2 and figures["fan_out"]["ratio"] > 0
    assert "TTFT p50" in run.stdout and "Render a 50-turn chat page" in run.stdout
