from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_media_folder(media_root: Path) -> None:
    """Generated images are stored in each test's own folder."""
