from __future__ import annotations

import pytest

from tests.servers import ServedPlayground


@pytest.fixture
def batches_emulator_url(served_batches: ServedPlayground, settings) -> str:
    """Points this process's playground at the quick-batch emulator over real HTTP."""
    settings.EMULATOR_BASE_URL = served_batches.emulator_url
    settings.UPSTREAM_MAX_RETRIES = 0
    return served_batches.emulator_url
