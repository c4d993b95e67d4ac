from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from playground.chat.consumers import PlayConsumer
from tests.sockets import ConsumerSocket


class Socket(ConsumerSocket):
    """A signed-in user's socket on /ws/play/, keeping every frame."""

    consumer = PlayConsumer
    path = "/ws/play/"


def send_payload(prompt: str, **overrides: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "action": "send",
        "prompt": prompt,
        "model": "gemini-2.5-flash",
        "n": "1",
        "stream": "on",
        "include_thoughts": "on",
        "include_usage": "on",
        "conversation": "",
        "HEADERS": {"HX-Request": "true"},
    }
    payload.update(overrides)
    return payload


db_async = database_sync_to_async


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client
