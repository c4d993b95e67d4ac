from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """The model list is cached per provider address; each test starts without it."""
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
