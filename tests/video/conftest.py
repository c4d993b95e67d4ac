from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import ServedPlayground, running


@pytest.fixture(autouse=True)
def _own_media_folder(media_root: Path) -> None:
    """Downloaded videos are stored in each test's own folder."""


@pytest.fixture(scope="session")
def served_video(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    """The playground served with videos that take a second to make."""
    yield from running(
        ServedPlayground(
            data_dir=tmp_path_factory.mktemp("served-video"), env={"EMULATOR_VIDEO_SECONDS": "1"}
        )
    )


@pytest.fixture
def video_emulator_url(served_video: ServedPlayground, settings) -> str:
    settings.EMULATOR_BASE_URL = served_video.emulator_url
    return served_video.emulator_url
