from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import ServedPlayground


@pytest.fixture(autouse=True)
def _own_media_folder(media_root: Path) -> None:
    """Downloaded videos are stored in each test's own folder."""


@pytest.fixture(scope="session")
def served_video(served_quick_jobs: ServedPlayground) -> ServedPlayground:
    """The playground served with videos that take a second to make."""
    return served_quick_jobs


@pytest.fixture
def video_emulator_url(served_video: ServedPlayground, settings) -> str:
    settings.EMULATOR_BASE_URL = served_video.emulator_url
    return served_video.emulator_url
