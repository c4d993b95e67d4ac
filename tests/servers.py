"""Real servers for tests: `manage.py serve` in a subprocess (shared with the benchmark)."""

from __future__ import annotations

from collections.abc import Iterator

from playground.benchmark.processes import LINK_PATTERN, REPO, ServedPlayground, free_port

__all__ = ["LINK_PATTERN", "REPO", "ServedPlayground", "free_port", "running"]

# A fresh data folder is migrated before serving: seconds on a quiet two-core machine, but over
# a minute and a half (seen) while several test runs share it. Only a failure waits this long.
START_TIMEOUT_SECONDS = 180.0


def running(server: ServedPlayground) -> Iterator[ServedPlayground]:
    """For a fixture to `yield from`: starts the server, and stops it however the tests end."""
    try:
        yield server.start(timeout=START_TIMEOUT_SECONDS)
    finally:
        server.stop()
