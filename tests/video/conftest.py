from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.images.conftest import ada, b64, bob, fresh_cache, make_client, media_root, picture_bytes  # noqa: F401
from tests.servers import ServedPlayground


@pytest.fixture(scope="session")
def served_video(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    """The playground served with videos that take a second to make."""
    server = ServedPlayground(
        data_dir=tmp_path_factory.mktemp("served-video"), env={"EMULATOR_VIDEO_SECONDS": "1"}
    ).start()
    yield server
    server.stop()


@pytest.fixture
def video_emulator_url(served_video: ServedPlayground, settings) -> str:
    settings.EMULATOR_BASE_URL = served_video.emulator_url
    return served_video.emulator_url
