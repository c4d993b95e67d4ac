"""`uv run pytest -m "not e2e"` is the fast lane: every browser test carries the e2e marker."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.servers import REPO


def test_the_e2e_marker_splits_the_browser_tests_into_their_own_lane() -> None:
    # One collection (a new pytest process costs seconds) over a browser test file and a fast
    # one: the e2e lane is exactly the browser tests, so the rest is exactly "not e2e".
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "e2e",
         "tests/e2e/test_models.py", "tests/test_static_files.py"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    collected = [line for line in done.stdout.splitlines() if "::" in line]

    assert collected, done.stdout + done.stderr
    assert all(line.startswith("tests/e2e/") for line in collected), collected
    assert "deselected" in done.stdout, "the fast file's tests were left out of the e2e lane"


def test_every_test_in_this_run_is_in_its_lane(request: pytest.FixtureRequest) -> None:
    for item in request.session.items:
        in_browser_folder = item.nodeid.startswith("tests/e2e/")
        assert (item.get_closest_marker("e2e") is not None) == in_browser_folder, item.nodeid
