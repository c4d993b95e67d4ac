"""Real servers for tests: `manage.py serve` in a subprocess (shared with the benchmark)."""

from __future__ import annotations

from playground.benchmark.processes import LINK_PATTERN, REPO, ServedPlayground, free_port

__all__ = ["LINK_PATTERN", "REPO", "ServedPlayground", "free_port"]
