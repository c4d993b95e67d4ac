from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import ServedPlayground

E2E_DIR = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: their sync event loop must not meet pytest-asyncio's."""
    items.sort(key=lambda item: Path(str(item.path)).is_relative_to(E2E_DIR))


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache (rolled-back tests reuse primary keys)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    """The playground served by daphne in its own process, emulator at instant pace."""
    server = ServedPlayground(data_dir=tmp_path_factory.mktemp("served")).start(timeout=120)
    yield server
    server.stop()


@pytest.fixture
def emulator_url(served: ServedPlayground, settings) -> str:
    """Points this process's playground at the served emulator over real HTTP."""
    settings.EMULATOR_BASE_URL = served.emulator_url
    return served.emulator_url


@pytest.fixture(scope="session")
def served_slow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    """The emulator at a watchable pace, for stopping replies half way."""
    server = ServedPlayground(
        data_dir=tmp_path_factory.mktemp("served-slow"),
        env={"EMULATOR_TTFT_MS": "0", "EMULATOR_TOKENS_PER_SECOND": "60"},
    ).start(timeout=120)
    yield server
    server.stop()


@pytest.fixture
def slow_emulator_url(served_slow: ServedPlayground, settings) -> str:
    settings.EMULATOR_BASE_URL = served_slow.emulator_url
    return served_slow.emulator_url


@pytest.fixture(scope="session")
def node_openai(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the `openai` npm package installed, to run exported JavaScript with node."""
    import subprocess

    folder = tmp_path_factory.mktemp("node-openai")
    (folder / "package.json").write_text('{"type": "module", "private": true}')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "openai@7"],
        cwd=folder, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return folder
