from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from playground.benchmark.report import table
from playground.benchmark.suite import Levels, run_benchmark

FULL = Levels(
    one_stream_samples=100, many_streams=50, many_samples=100, crowd_streams=200,
    throughput_replies=3, cpu_runs=3, sockets=200, render_requests=20, panes=8,
)  # fmt: skip
QUICK = Levels(
    one_stream_samples=3, many_streams=4, many_samples=4, crowd_streams=6,
    throughput_replies=1, cpu_runs=1, sockets=20, render_requests=3, panes=2,
    whole_replies_in_crowds=False,
)  # fmt: skip


class Command(BaseCommand):
    help = (
        "Measure what the playground adds on top of the upstream: an emulator, the playground "
        "and a minimal relay (the floor) run as server processes on loopback, and the same "
        "work is timed through the playground, through the floor and direct, at instant and "
        "at realistic pace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quick", action="store_true", help="a small run (smoke test)")
        parser.add_argument(
            "--json", dest="json_path", type=Path, help="also write the figures to this file"
        )

    def handle(self, *args: Any, quick: bool, json_path: Path | None, **options: Any) -> None:
        with tempfile.TemporaryDirectory(prefix="playground-benchmark-") as folder:
            figures = run_benchmark(Path(folder), QUICK if quick else FULL)
        self.stdout.write(table(figures))
        if json_path is not None:
            json_path.write_text(json.dumps(figures, indent=2, sort_keys=True))
            self.stdout.write(f"Figures written to {json_path}")
