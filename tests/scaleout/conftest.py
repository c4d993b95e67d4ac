"""One PostgreSQL and one Redis for the whole session, started only when a test here needs them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.scaleout.engines import Postgres, Redis


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = Postgres.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis() -> Iterator[Redis]:
    server = Redis.start()
    yield server
    server.stop()
