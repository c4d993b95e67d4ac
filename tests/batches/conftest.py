from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from tests.batches.servers import batch_server
from tests.servers import ServedPlayground


@pytest.fixture(scope="session")
def served_batches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    server = batch_server(tmp_path_factory.mktemp("served-batches"))
    yield server
    server.stop()


@pytest.fixture
def batches_emulator_url(served_batches: ServedPlayground, settings) -> str:
    """Points this process's playground at the quick-batch emulator over real HTTP."""
    settings.EMULATOR_BASE_URL = served_batches.emulator_url
    settings.UPSTREAM_MAX_RETRIES = 0
    return served_batches.emulator_url


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed_in(client: Client, django_user_model) -> Client:
    client.force_login(django_user_model.objects.create_user("ada", password=None))
    return client


@pytest.fixture
def stranger(django_user_model) -> Client:
    other = Client()
    other.force_login(django_user_model.objects.create_user("mallory", password=None))
    return other
