"""How the ASGI application serves a request (playground/handler.py): a sync view's middleware and
view in one trip to a kept thread that keeps its database connection; an async view on the event
loop, as Django does it; an API endpoint without the pages' middleware; a thread of its own for a
page when every kept thread is busy."""

from __future__ import annotations

import gzip
import json
from unittest import mock

import pytest
from asgiref.sync import SyncToAsync
from asgiref.testing import ApplicationCommunicator
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.db.backends.base.base import BaseDatabaseWrapper

from playground.asgi import django_asgi_app

pytestmark = pytest.mark.django_db(transaction=True)


def http_get(
    path: str, *, key: bool = False, host: bytes = b"127.0.0.1"
) -> ApplicationCommunicator:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", host),
            (b"accept-encoding", b"gzip"),
            *([(b"authorization", b"Bearer test-key")] if key else []),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    return ApplicationCommunicator(django_asgi_app, scope)


async def get_whole(
    path: str, *, key: bool = False, host: bytes = b"127.0.0.1"
) -> tuple[int, dict[bytes, bytes], bytes]:
    communicator = http_get(path, key=key, host=host)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=30)
    body = b""
    while True:
        message = await communicator.receive_output(timeout=30)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await communicator.wait(timeout=30)
    return start["status"], {name.lower(): value for name, value in start["headers"]}, body


async def get(path: str, *, key: bool = False) -> int:
    return (await get_whole(path, key=key))[0]


class Counted:
    """Counts the calls of a method, keeping what it does."""

    def __init__(self, owner: type, name: str) -> None:
        self.calls = 0
        original = getattr(owner, name)

        def counted(*args, **kwargs):
            self.calls += 1
            return original(*args, **kwargs)

        self.patch = mock.patch.object(owner, name, counted)

    def __enter__(self) -> Counted:
        self.patch.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.patch.stop()


async def test_a_sync_view_and_its_middleware_take_one_trip_off_the_event_loop() -> None:
    await get("/favicon.ico")
    with Counted(SyncToAsync, "__call__") as trips:
        assert await get("/favicon.ico") == 301
    # The chain, and Django's own request_started and closing the response. Django's async
    # chain made one trip per middleware hook: 23 here.
    assert trips.calls <= 3


async def test_a_kept_thread_keeps_its_database_connection_between_pages() -> None:
    assert await get("/share/no-such-link/") == 404  # reads the database
    with Counted(BaseDatabaseWrapper, "connect") as connects:
        for _ in range(5):
            assert await get("/share/no-such-link/") == 404
    # One page at a time: each lands on the idle thread that served the first.
    assert connects.calls == 0


async def test_an_async_page_goes_through_djangos_async_chain() -> None:
    with (
        Counted(ASGIHandler, "get_response_async") as async_chain,
        Counted(BaseHandler, "get_response") as sync_chain,
    ):
        assert await get("/models/") == 302  # the models page, async: sign in first
    assert (async_chain.calls, sync_chain.calls) == (1, 0)


async def test_an_api_endpoint_takes_no_trip_for_middleware() -> None:
    """The emulator's endpoints: no page middleware, and the rest on the event loop."""
    await get("/emulator/v1beta/openai/models", key=True)
    with (
        Counted(SyncToAsync, "__call__") as trips,
        Counted(ASGIHandler, "get_response_async") as page_chain,
    ):
        status, headers, body = await get_whole("/emulator/v1beta/openai/models", key=True)
    assert status == 200
    assert json.loads(gzip.decompress(body))["data"]
    # Django's own request_started and closing the response; its chain made 20 more.
    assert trips.calls <= 2
    assert page_chain.calls == 0
    # What every response carries still comes: compression when asked, the security headers;
    # nothing of a page (no session or CSRF cookie, no page policy).
    assert headers[b"content-encoding"] == b"gzip"
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert b"set-cookie" not in headers
    assert b"content-security-policy" not in headers


async def test_an_api_endpoints_errors_are_its_own() -> None:
    status, headers, body = await get_whole("/emulator/v1beta/openai/models")  # no key
    assert status == 400
    if headers.get(b"content-encoding") == b"gzip":
        body = gzip.decompress(body)
    assert json.loads(body)[0]["error"]["status"] == "INVALID_ARGUMENT"


async def test_an_api_endpoint_checks_the_host_as_a_page_does() -> None:
    """A name rebound to this machine reaches neither pages nor the API."""
    status, _, _ = await get_whole("/emulator/v1beta/openai/models", key=True, host=b"evil.example")
    assert status == 400


async def test_a_page_is_served_when_every_kept_thread_is_busy() -> None:
    django_asgi_app.threads_busy += django_asgi_app.kept_threads
    try:
        with mock.patch.object(
            django_asgi_app, "response_in_kept_thread", side_effect=AssertionError
        ):
            assert await get("/favicon.ico") == 301
    finally:
        django_asgi_app.threads_busy -= django_asgi_app.kept_threads
