"""`uv run pytest -m "not e2e"` is the fast lane: every browser test carries the e2e marker."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.servers import REPO


@pytest.mark.parametrize(("marks", "lane_has_browser_tests"), [("e2e", True), ("not e2e", False)])
def test_the_e2e_marker_splits_the_browser_tests_into_their_own_lane(
    marks: str, lane_has_browser_tests: bool
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", marks,
         "tests/e2e/test_models.py", "tests/test_static_files.py"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    collected = [line for line in done.stdout.splitlines() if "::" in line]

    assert collected, done.stdout + done.stderr
    assert all(line.startswith("tests/e2e/") == lane_has_browser_tests for line in collected)
