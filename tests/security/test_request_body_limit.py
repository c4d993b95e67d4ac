"""A request body over REQUEST_MAX_BODY_BYTES is refused with 413 before it is read: at once when
its Content-Length says so, as soon as the count passes the limit when it comes in chunks. Both in
the ASGI application (uvicorn, any server) and in `manage.py serve` (daphne reads a body whole
before the application sees it)."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from asgiref.testing import ApplicationCommunicator

from playground.asgi import application
from tests.servers import ServedPlayground

LIMIT = 64 * 1024


def login_post(headers: list[tuple[bytes, bytes]]) -> ApplicationCommunicator:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/accounts/login/",
        "raw_path": b"/accounts/login/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    return ApplicationCommunicator(application, scope)


async def response_status(communicator: ApplicationCommunicator) -> tuple[int, bytes]:
    start = await communicator.receive_output(timeout=30)
    assert start["type"] == "http.response.start"
    body = b""
    while True:
        message = await communicator.receive_output(timeout=30)
        body += message.get("body", b"")
        if not message.get("more_body"):
            return start["status"], body


@pytest.fixture
def small_limit(settings) -> None:
    settings.REQUEST_MAX_BODY_BYTES = LIMIT


async def test_a_declared_oversized_body_is_refused_before_a_byte_is_read(small_limit) -> None:
    communicator = login_post([(b"content-length", str(1024**3).encode())])
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": True})
    # Nothing more is sent: an application that waited for the body would never answer.

    status, body = await response_status(communicator)

    assert status == 413
    assert b"64 KB" in body
    await communicator.wait(timeout=5)


@pytest.mark.django_db
async def test_a_chunked_body_is_refused_once_it_passes_the_limit(small_limit) -> None:
    communicator = login_post([(b"transfer-encoding", b"chunked")])
    chunk = b"x" * (16 * 1024)
    for _ in range(LIMIT // len(chunk) + 1):
        await communicator.send_input({"type": "http.request", "body": chunk, "more_body": True})

    status, _ = await response_status(communicator)

    assert status == 413
    await communicator.wait(timeout=5)


@pytest.mark.django_db
async def test_a_body_within_the_limit_reaches_the_page(small_limit) -> None:
    body = b"username=ada&password=" + b"x" * (LIMIT - 100)
    communicator = login_post(
        [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/x-www-form-urlencoded"),
        ]
    )
    await communicator.send_input({"type": "http.request", "body": body, "more_body": False})

    status, _ = await response_status(communicator)

    assert status == 403, "Django's CSRF check answered: the body got through"


def test_the_default_limit_fits_the_largest_upload(settings) -> None:
    """A video request carries five pictures; an audio file is the largest single upload."""
    assert settings.REQUEST_MAX_BODY_BYTES > 5 * settings.UPLOAD_MAX_IMAGE_BYTES
    assert settings.REQUEST_MAX_BODY_BYTES > settings.UPLOAD_MAX_AUDIO_BYTES
    assert settings.REQUEST_MAX_BODY_BYTES < 100 * 1024 * 1024


@pytest.fixture(scope="module")
def served_small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    server = ServedPlayground(
        data_dir=Path(tmp_path_factory.mktemp("body-limit")),
        env={"REQUEST_MAX_BODY_BYTES": str(LIMIT)},
    ).start(timeout=120)
    yield server
    server.stop()


def raw_request(
    server: ServedPlayground, head: bytes, body_chunks: Iterator[bytes]
) -> tuple[bytes, int]:
    """Send the head, then body chunks until the server answers (or stops reading).

    Returns the answer and how many body bytes went out before it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(head)
        deadline = time.monotonic() + 20
        sent = 0
        for chunk in body_chunks:
            readable, _, _ = select.select([connection], [], [], 0)
            if readable or time.monotonic() > deadline:
                break
            try:
                connection.sendall(chunk)
                sent += len(chunk)
            except OSError:  # the server closed the connection instead of reading on
                break
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                more = connection.recv(65536)
                if not more:
                    break
                answer += more
        except OSError:
            pass
        return answer, sent


def gibibyte() -> Iterator[bytes]:
    for _ in range(1024 * 16):
        yield b"x" * 65536


def test_serve_refuses_a_declared_gibibyte_without_reading_it(
    served_small: ServedPlayground,
) -> None:
    head = (b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 1073741824\r\n\r\n")  # fmt: skip
    started = time.monotonic()

    answer, sent = raw_request(served_small, head, gibibyte())

    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 16 * 2**20, "the server answered long before the body was in"
    assert time.monotonic() - started < 15


def test_serve_refuses_a_chunked_body_past_the_limit(served_small: ServedPlayground) -> None:
    head = (b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")  # fmt: skip
    chunks = (b"10000\r\n" + chunk + b"\r\n" for chunk in gibibyte())

    answer, sent = raw_request(served_small, head, chunks)

    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 16 * 2**20, "the server answered long before the body was in"


def test_serve_still_answers_a_body_within_the_limit(served_small: ServedPlayground) -> None:
    body = b"username=ada&password=secret"
    head = (b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)  # fmt: skip

    answer, _ = raw_request(served_small, head, iter([]))

    assert answer.startswith(b"HTTP/1.1 403"), answer[:200]
