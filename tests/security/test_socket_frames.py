"""Each socket has a largest message, a rate of messages and a deepest JSON nesting. A socket past
one is closed with a close code that says which, and a log line; a deeply nested message never
crashes the consumer (1011). Ordinary messages pass as before."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
import websockets
from asgiref.sync import sync_to_async

from playground.limits import socket_frames
from tests.reliability.serving import PageSocket
from tests.security.site_sockets import session_cookie, site_socket
from tests.servers import ServedPlayground

pytestmark = pytest.mark.django_db(transaction=True)

SOCKET_PATHS = ["/ws/play/", "/ws/compare/", "/ws/decks/"]
MESSAGE_TOO_BIG = 4009
POLICY_VIOLATION = 4008


@pytest.fixture
async def cookie(django_user_model) -> tuple[bytes, bytes]:
    create = sync_to_async(django_user_model.objects.create_user)
    return await session_cookie(await create("ada", password=None))


@pytest.fixture
def limits(settings) -> None:
    settings.SOCKET_MAX_FRAME_BYTES = 4096
    settings.SOCKET_FRAMES_PER_SECOND = 2.0
    settings.SOCKET_FRAME_BURST = 5
    settings.SOCKET_MAX_JSON_DEPTH = 16


async def closed_with(communicator, timeout: float = 10) -> int:  # noqa: ASYNC109
    """The close code the application sent, skipping any frames before it."""
    while True:
        message = await communicator.receive_output(timeout=timeout)
        if message["type"] == "websocket.close":
            return message.get("code", 1000)


@pytest.fixture
async def open_socket(cookie, limits):
    opened = []

    async def open_one(path: str):
        communicator = site_socket(path, cookie)
        connected, _ = await communicator.connect(timeout=10)
        assert connected
        opened.append(communicator)
        return communicator

    yield open_one
    for communicator in opened:
        if not communicator.future.done():
            await communicator.disconnect()


def nested(depth: int) -> str:
    return '{"action": "stop", "x": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("path", SOCKET_PATHS)
async def test_an_ordinary_message_passes(open_socket, path) -> None:
    socket = await open_socket(path)

    await socket.send_to(text_data=json.dumps({"action": "no-such-action"}))

    assert "Unknown action" in (await socket.receive_output(timeout=10))["text"]


@pytest.mark.parametrize("path", SOCKET_PATHS)
async def test_an_oversized_message_closes_the_socket(open_socket, path, caplog) -> None:
    caplog.set_level(logging.WARNING)
    socket = await open_socket(path)

    await socket.send_to(text_data=json.dumps({"action": "send", "prompt": "x" * 5000}))

    assert await closed_with(socket) == MESSAGE_TOO_BIG
    assert any("over 4096 bytes" in record.getMessage() for record in caplog.records)


async def test_a_binary_message_counts_too(open_socket) -> None:
    socket = await open_socket("/ws/play/")

    await socket.send_to(bytes_data=b"x" * 5000)

    assert await closed_with(socket) == MESSAGE_TOO_BIG


@pytest.mark.parametrize("path", SOCKET_PATHS)
async def test_a_flood_of_messages_closes_the_socket(open_socket, path, caplog) -> None:
    caplog.set_level(logging.WARNING)
    socket = await open_socket(path)

    for _ in range(50):
        await socket.send_to(text_data='{"action": "stop"}')

    assert await closed_with(socket) == POLICY_VIOLATION
    assert any("more than" in record.getMessage() for record in caplog.records)


async def test_messages_at_the_allowed_pace_are_never_refused(open_socket, settings) -> None:
    settings.SOCKET_FRAME_BURST = 3
    socket = await open_socket("/ws/play/")

    for _ in range(3):  # the burst, then nothing more than the rate
        await socket.send_to(text_data=json.dumps({"action": "no-such-action"}))
        assert "Unknown action" in (await socket.receive_output(timeout=10))["text"]
        # A message costs a little more than one token (its bytes count too): at the rate
        # (2 a second) the bucket refills, however fast the reply came.
        await asyncio.sleep(0.5)


@pytest.mark.parametrize("path", SOCKET_PATHS)
async def test_a_deeply_nested_message_closes_cleanly_without_a_crash(
    open_socket, path, settings, caplog
) -> None:
    """100,000 `[` made the consumer's json.loads raise RecursionError: a 1011 close."""
    caplog.set_level(logging.WARNING)
    settings.SOCKET_MAX_FRAME_BYTES = 2**20
    socket = await open_socket(path)

    await socket.send_to(text_data="[" * 100_000)

    assert await closed_with(socket) == POLICY_VIOLATION
    assert any("nested deeper than 16" in record.getMessage() for record in caplog.records)


async def test_nesting_just_past_the_limit_is_refused_and_at_the_limit_is_not(
    open_socket,
) -> None:
    socket = await open_socket("/ws/play/")
    await socket.send_to(text_data=nested(15))  # 16 deep with the outer object
    assert await socket.receive_nothing(timeout=0.5)

    await socket.send_to(text_data=nested(16))

    assert await closed_with(socket) == POLICY_VIOLATION


async def test_brackets_inside_strings_are_text_not_nesting(open_socket) -> None:
    socket = await open_socket("/ws/play/")

    await socket.send_to(text_data=json.dumps({"action": "no-such-action", "x": "[" * 2000}))

    assert "Unknown action" in (await socket.receive_output(timeout=10))["text"]


def test_the_bucket_refills_at_the_rate_up_to_the_burst(monkeypatch) -> None:
    now = [100.0]
    monkeypatch.setattr(socket_frames.time, "monotonic", lambda: now[0])
    bucket = socket_frames.TokenBucket(rate=2.0, burst=4)

    assert [bucket.take(1) for _ in range(5)] == [True] * 4 + [False]
    now[0] += 1.0  # two tokens back
    assert [bucket.take(1) for _ in range(3)] == [True, True, False]
    now[0] += 60.0  # never more than the burst
    assert [bucket.take(1) for _ in range(5)] == [True] * 4 + [False]
    assert bucket.take(0.5) is False
    now[0] += 2.0
    assert bucket.take(50), "a message costing more than the burst takes a full bucket"
    assert not bucket.take(1)


def test_the_close_codes_are_ones_an_application_may_send() -> None:
    """RFC 6455: 1000 or 3000-4999; daphne turns any other into a 1011 crash."""
    for code in (socket_frames.MESSAGE_TOO_BIG, socket_frames.POLICY_VIOLATION):
        assert code == 1000 or 3000 <= code <= 4999


async def close_code_after(server: ServedPlayground, cookie: str, frames: list[str]) -> int:
    """Send `frames` on a served /ws/play/ (as a browser would) until the server closes it."""
    async with PageSocket(server, cookie) as page:
        assert page.socket is not None
        try:
            for frame in frames:
                await page.socket.send(frame)
                await asyncio.sleep(0.001)
            await asyncio.wait_for(page.socket.recv(), 20)
        except websockets.ConnectionClosed as closed:
            assert closed.rcvd is not None, "the server closed the socket"
            return closed.rcvd.code
    raise AssertionError("the socket stayed open")


@pytest.fixture
def served_defaults(served: ServedPlayground) -> ServedPlayground:
    """The shared served playground: its limits are the defaults."""
    return served


async def test_a_served_socket_past_a_limit_gets_the_limits_code_not_a_crash(
    served_defaults: ServedPlayground,
) -> None:
    """Through daphne as `serve` runs it (it refuses 1008/1009 from an application)."""
    server = served_defaults
    cookie = await asyncio.to_thread(PageSocket.signed_in_cookie, server)

    assert await close_code_after(server, cookie, ['{"action": "stop"}'] * 400) == POLICY_VIOLATION
    assert await close_code_after(server, cookie, ["[" * 100_000]) == POLICY_VIOLATION
