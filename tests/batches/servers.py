"""A served playground whose emulator finishes a batch in about a second.

The shared `served` fixture keeps the default batch duration (EMULATOR_BATCH_SECONDS=15);
batch tests use `served_batches` (tests/conftest.py) or start one of these instead of waiting
that long.
"""

from __future__ import annotations

from pathlib import Path

from tests.servers import START_TIMEOUT_SECONDS, ServedPlayground

BATCH_SECONDS = "1"


def batch_server(data_dir: Path) -> ServedPlayground:
    return ServedPlayground(data_dir=data_dir, env={"EMULATOR_BATCH_SECONDS": BATCH_SECONDS}).start(
        timeout=START_TIMEOUT_SECONDS
    )
