from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from playground.media.models import Attachment


@pytest.fixture(autouse=True)
def _own_media_folder(media_root: Path) -> None:
    """Each test stores into its own empty folder, so "nothing left behind" can be checked."""


@pytest.fixture
def stored_files(media_root: Path) -> Callable[[], list[Path]]:
    return lambda: sorted(path for path in media_root.rglob("*") if path.is_file())


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    """A user here (in the image and video folders, `bob` is his signed-in client)."""
    return make_user("bob")


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob)
    return client


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def post_file(alice_client: Client):
    """Uploads one file as alice, asking for JSON (as a script would)."""

    def post(name: str, data: bytes, content_type: str = "application/octet-stream", **extra):
        return alice_client.post(
            "/media/upload/",
            {"file": upload(name, data, content_type)},
            headers={"Accept": "application/json"},
            **extra,
        )

    return post


@pytest.fixture
def nothing_stored(stored_files) -> Callable[[], bool]:
    return lambda: not stored_files() and not Attachment.objects.exists()
