"""The suite's hooks and the fixtures shared across its folders.

Before the first test, tests/preflight.py installs the programs and node packages the suite runs
(or stops with what is missing). Browser tests carry the `e2e` marker and run last. Fixtures used
in more than one folder live here: people and their signed-in clients, the served playgrounds,
the node folder for exported JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from tests.batches.servers import BATCH_SECONDS
from tests.preflight import node_folder, preflight_session
from tests.servers import ServedPlayground, running

E2E_DIR = Path(__file__).parent / "e2e"


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    """After pytest's header, before anything is collected: the machine has what the tests
    run, or the run stops here."""
    preflight_session(session.config)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests get the `e2e` marker before `-m` selects on it."""
    for item in items:
        if Path(str(item.path)).is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


class BrowserTestsLast:
    """Browser tests run last, after every other plugin's ordering (pytest-django sorts by
    database use): Playwright's sync API leaves an event loop running in the main thread, and
    every database call after it would look like one made on the event loop."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(BrowserTestsLast(), "browser-tests-last")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache: rolled-back tests reuse primary keys, and the
    provider's model list is cached per address."""
    from django.core.cache import cache

    from playground.catalog.selectors import model_ids_recent_forget

    cache.clear()
    model_ids_recent_forget()
    yield
    cache.clear()
    model_ids_recent_forget()


# People and their signed-in clients.


@pytest.fixture
def make_user(db) -> Callable[[str], AbstractBaseUser]:
    from django.contrib.auth import get_user_model

    def make(username: str = "alice") -> AbstractBaseUser:
        return get_user_model().objects.create_user(username=username, password="x" * 12)

    return make


@pytest.fixture
def make_client(make_user: Callable[[str], AbstractBaseUser]) -> Callable[[str], Client]:
    """A new browser session signed in as a new user of that name."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(make_user(username))
        return client

    return make


@pytest.fixture
def signed_in(client: Client, make_user: Callable[[str], AbstractBaseUser]) -> Client:
    client.force_login(make_user("ada"))
    return client


@pytest.fixture
def stranger(make_client: Callable[[str], Client]) -> Client:
    """Someone else, signed in, who must not see ada's things."""
    return make_client("mallory")


@pytest.fixture
def ada(make_client: Callable[[str], Client]) -> Client:
    return make_client("ada")


@pytest.fixture
def bob(make_client: Callable[[str], Client]) -> Client:
    return make_client("bob")


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    """Stored files go to this test's own empty folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# Served playgrounds: `manage.py serve` in its own process, emulator at instant pace.


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    for server in running(ServedPlayground(data_dir=tmp_path_factory.mktemp("served"))):
        # Its printed link is kept for the test of that link (tests/accounts/test_login_links).
        server.first_link_taken = True
        yield server


@pytest.fixture
def emulator_url(served: ServedPlayground, settings) -> str:
    """Points this process's playground at the served emulator over real HTTP."""
    settings.EMULATOR_BASE_URL = served.emulator_url
    return served.emulator_url


@pytest.fixture(scope="session")
def served_slow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    """The emulator at a watchable pace, for stopping replies half way."""
    yield from running(
        ServedPlayground(
            data_dir=tmp_path_factory.mktemp("served-slow"),
            env={"EMULATOR_TTFT_MS": "0", "EMULATOR_TOKENS_PER_SECOND": "60"},
        )
    )


@pytest.fixture
def slow_emulator_url(served_slow: ServedPlayground, settings) -> str:
    settings.EMULATOR_BASE_URL = served_slow.emulator_url
    return served_slow.emulator_url


@pytest.fixture(scope="session")
def served_quick_jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    """Batches and videos finish in about a second (the defaults, 15 s and 20 s, would only
    slow the tests). One server for both: each start costs seconds."""
    yield from running(
        ServedPlayground(
            data_dir=tmp_path_factory.mktemp("served-quick-jobs"),
            env={"EMULATOR_BATCH_SECONDS": BATCH_SECONDS, "EMULATOR_VIDEO_SECONDS": "1"},
        )
    )


@pytest.fixture(scope="session")
def served_batches(served_quick_jobs: ServedPlayground) -> ServedPlayground:
    return served_quick_jobs


# Exported JavaScript runs with node and the npm packages the preflight installed.


@pytest.fixture(scope="session")
def node_openai(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for scripts that import the `openai` (and `zod`) npm packages: its own, so the
    scripts of parallel runs never meet, with node_modules from the preflight's cache."""
    folder = tmp_path_factory.mktemp("node-openai")
    (folder / "package.json").write_text('{"type": "module", "private": true}')
    (folder / "node_modules").symlink_to(node_folder() / "node_modules", target_is_directory=True)
    return folder
