"""A reader who leaves mid-reply: the upstream stream is closed within a second, under daphne
and under uvicorn, and the reply is kept as stopped."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from urllib.request import Request, urlopen

import pytest

from tests.reliability.serving import (
    OWN_ENGINES,
    PageSocket,
    UvicornPlayground,
    chat_payload,
    fault_log,
    fault_tag,
)
from tests.servers import ServedPlayground

# Both supported servers (uvicorn[standard] is a dependency).
SERVERS = ["daphne", "uvicorn"]
CLOSE_WITHIN_SECONDS = 1.0


@pytest.fixture(scope="module", params=SERVERS)
def playground(request, served_faulty: ServedPlayground) -> Iterator[tuple[ServedPlayground, str]]:
    """The playground under this server, and a signed-in session cookie for it."""
    if request.param == "daphne":
        yield served_faulty, PageSocket.signed_in_cookie(served_faulty)
        return
    server = UvicornPlayground(
        data_dir=served_faulty.data_dir,
        env={
            **OWN_ENGINES,
            "EMULATOR_BASE_URL": served_faulty.emulator_url,
            "EMULATOR_FAULTS_ENABLED": "true",
        },
    ).start()
    yield server, PageSocket.signed_in_cookie(server)
    server.stop()


def page(server: ServedPlayground, path: str, cookie: str) -> str:
    with urlopen(Request(server.base_url + path, headers={"Cookie": cookie}), timeout=30) as r:
        return r.read().decode()


async def closed_at(emulator: ServedPlayground, tag: str, wait: float = 10.0) -> float:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        entries = await asyncio.to_thread(fault_log, emulator, tag)
        if entries and entries[0]["closed_at"]:
            assert entries[0]["ended"] == "client-left"
            return entries[0]["closed_at"]
        await asyncio.sleep(0.05)
    raise AssertionError(f"the upstream stream {tag} was never closed")


@pytest.mark.parametrize("abrupt", [False, True], ids=["closed-tab", "lost-network"])
async def test_it_closes_the_upstream_within_a_second_when_the_reader_leaves(
    playground: tuple[ServedPlayground, str], served_faulty: ServedPlayground, abrupt: bool
) -> None:
    server, cookie = playground
    tag = fault_tag()
    socket = PageSocket(server, cookie)
    await socket.__aenter__()
    await socket.send(**chat_payload(f"Count slowly [emulator-fault:slow:{tag}]",
                                     model="gemini-2.0-flash"))  # fmt: skip
    await socket.receive_until("w5 ", timeout=20)
    conversation = socket.conversation_id()

    left = time.time()
    if abrupt:
        socket.socket.transport.abort()  # no closing handshake: the connection just drops
    else:
        await socket.close()
    closed = await closed_at(served_faulty, tag)

    assert closed - left < CLOSE_WITHIN_SECONDS, f"closed after {closed - left:.3f} s"
    await asyncio.sleep(0.5)  # the stopped reply is being saved
    html = await asyncio.to_thread(page, server, f"/chat/{conversation}/", cookie)
    reply = re.search(r'turn-assistant" data-state="(\w+)"', html)
    assert reply is not None and reply.group(1) == "cancelled", "kept as stopped"
    assert "w1 w2 w3 w4 w5" in html, "what arrived is kept"
