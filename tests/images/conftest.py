from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from PIL import Image


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    # The provider's model list is cached; each test sees the provider it points at.
    cache.clear()


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_client(db, django_user_model) -> Callable[[str], Client]:
    def make(username: str) -> Client:
        client = Client()
        client.force_login(django_user_model.objects.create_user(username, password=None))
        return client

    return make


@pytest.fixture
def ada(make_client: Callable[[str], Client], media_root: Path) -> Client:
    return make_client("ada")


@pytest.fixture
def bob(make_client: Callable[[str], Client], media_root: Path) -> Client:
    return make_client("bob")


def picture_bytes(image_format: str = "PNG", size: tuple[int, int] = (48, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 90)).save(buffer, image_format)
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decoded(encoded: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(encoded)))
    image.load()
    return image
