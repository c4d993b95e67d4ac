"""A served playground whose emulator injects faults on request (EMULATOR_FAULTS_ENABLED)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.serving import served_with_faults
from tests.servers import ServedPlayground, running


@pytest.fixture(scope="session")
def served_faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    yield from running(served_with_faults(tmp_path_factory.mktemp("served-faulty")))


@pytest.fixture
def faulty_upstream(served_faulty: ServedPlayground, settings) -> ServedPlayground:
    """This process's playground talks to the faulty emulator, with one SDK retry."""
    settings.EMULATOR_BASE_URL = served_faulty.emulator_url
    settings.UPSTREAM_MAX_RETRIES = 1
    settings.UPSTREAM_RETRY_MAX_WAIT_SECONDS = 5.0
    return served_faulty
