"""Fifty chat streams at once on one process: every chunk of every stream arrives once and in
order. (The figures, and the full 200, come from `python -m tests.reliability.load`.)"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.load import NO_LIMITS, run_load
from tests.reliability.serving import PageSocket
from tests.servers import ServedPlayground, running


@pytest.fixture(scope="module")
def playground(served_faulty: ServedPlayground, tmp_path_factory) -> Iterator[ServedPlayground]:
    """A playground process of its own, whose upstream is the faulty emulator's process."""
    yield from running(
        ServedPlayground(
            data_dir=Path(tmp_path_factory.mktemp("load")),
            env={"EMULATOR_BASE_URL": served_faulty.emulator_url, **NO_LIMITS},
        )
    )


def test_fifty_concurrent_streams_each_arrive_whole_and_in_order(
    playground: ServedPlayground, record_property
) -> None:
    cookie = PageSocket.signed_in_cookie(playground)

    figures = asyncio.run(run_load(playground, cookie, streams=50, chunks=150))

    for name, value in vars(figures).items():
        record_property(name, value)
    assert figures.broken == []
    assert figures.intact_streams == 50
