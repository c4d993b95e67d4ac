from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from playground.benchmark.fanout import DEFAULT_PACE
from playground.benchmark.processes import ServedPlayground
from playground.benchmark.report import table
from playground.benchmark.suite import Levels, run_suite

FULL = Levels(streams=(1, 50, 200), sockets=500, render_requests=30, repeats=3, panes=8)
QUICK = Levels(streams=(1, 4), sockets=50, render_requests=5, repeats=1, panes=2)


class Command(BaseCommand):
    help = (
        "Measure what the playground adds on top of the upstream: the emulator and the "
        "playground run as two server processes on loopback, and the same work is timed "
        "direct (openai SDK to the emulator) and relayed (WebSocket through the playground)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quick", action="store_true", help="a small run (smoke test)")
        parser.add_argument(
            "--json", dest="json_path", type=Path, help="also write the figures to this file"
        )

    def handle(self, *args: Any, quick: bool, json_path: Path | None, **options: Any) -> None:
        levels = QUICK if quick else FULL
        with tempfile.TemporaryDirectory(prefix="playground-benchmark-") as folder:
            emulator = ServedPlayground(
                data_dir=Path(folder) / "emulator", env={"EMULATOR_RECORD_REQUESTS": "false"}
            )
            playground = ServedPlayground(data_dir=Path(folder) / "playground")
            paced = ServedPlayground(data_dir=Path(folder) / "paced", env=DEFAULT_PACE)
            try:
                emulator.start()
                paced.start()
                playground.env = {
                    "EMULATOR_BASE_URL": emulator.emulator_url,
                    "EMULATOR_RECORD_REQUESTS": "false",
                    "LOG_LEVEL": "WARNING",
                    # One person runs every stream: the per-person limits would refuse most.
                    "LIMIT_CONCURRENT_STREAMS": "0",
                    "LIMIT_REQUESTS_PER_MINUTE": "0",
                }
                playground.start()
                figures = asyncio.run(run_suite(emulator, playground, paced, levels))
            finally:
                for server in (playground, paced, emulator):
                    server.stop()
        self.stdout.write(table(figures))
        if json_path is not None:
            json_path.write_text(json.dumps(figures, indent=2, sort_keys=True))
            self.stdout.write(f"Figures written to {json_path}")
