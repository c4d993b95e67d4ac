"""A socket opens only from the site's own origin (scheme, host and port, as Django's CSRF check
compares them) or from one listed in CSRF_TRUSTED_ORIGINS: another app on the same host name, at
another port or over another scheme, cannot open a signed-in user's socket."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from playground.routing import websocket_urlpatterns
from tests.security.site_sockets import session_cookie, site_socket

pytestmark = pytest.mark.django_db(transaction=True)

SOCKET_PATHS = ["/ws/play/", "/ws/compare/", "/ws/decks/"]


@pytest.fixture
async def cookie(django_user_model) -> tuple[bytes, bytes]:
    create = sync_to_async(django_user_model.objects.create_user)
    return await session_cookie(await create("ada", password=None))


async def opens(path: str, *, origin: str | None, host: str, cookie: tuple[bytes, bytes],
                scheme: str = "ws", forwarded_proto: str | None = None) -> bool:  # fmt: skip
    communicator = site_socket(path, cookie, origin=origin, host=host, scheme=scheme,
                               forwarded_proto=forwarded_proto)  # fmt: skip
    try:
        connected, _ = await communicator.connect(timeout=3)
        return connected
    finally:
        await communicator.disconnect()


def test_every_socket_route_is_checked_here() -> None:
    assert sorted("/" + str(route.pattern) for route in websocket_urlpatterns) == sorted(
        SOCKET_PATHS
    )


@pytest.mark.parametrize("path", SOCKET_PATHS)
async def test_it_lets_the_sites_own_origin_in(path, cookie) -> None:
    assert await opens(path, origin="http://127.0.0.1:8000", host="127.0.0.1:8000", cookie=cookie)
    assert await opens(path, origin="http://localhost", host="localhost", cookie=cookie)


@pytest.mark.parametrize("path", SOCKET_PATHS)
async def test_it_refuses_another_port_on_the_same_host(path, cookie) -> None:
    """Any other app on the machine (a dev server, a notebook) would read the user's chats."""
    assert not await opens(
        path, origin="http://127.0.0.1:9999", host="127.0.0.1:8000", cookie=cookie
    )
    assert not await opens(path, origin="http://127.0.0.1:9999", host="127.0.0.1", cookie=cookie)


@pytest.mark.parametrize("path", SOCKET_PATHS)
async def test_it_refuses_another_scheme(path, cookie) -> None:
    assert not await opens(path, origin="https://localhost", host="localhost", cookie=cookie)
    # Served over TLS, a plain-HTTP page of the same name is another origin.
    assert not await opens(
        path, origin="http://localhost", host="localhost", cookie=cookie, scheme="wss"
    )
    assert await opens(
        path, origin="https://localhost", host="localhost", cookie=cookie, scheme="wss"
    )


@pytest.mark.parametrize("path", SOCKET_PATHS)
async def test_it_refuses_a_missing_or_unreadable_origin(path, cookie) -> None:
    assert not await opens(path, origin=None, host="localhost", cookie=cookie)
    assert not await opens(path, origin="null", host="localhost", cookie=cookie)
    assert not await opens(path, origin="http://localhost:99999", host="localhost", cookie=cookie)


async def test_it_refuses_a_host_header_outside_allowed_hosts(cookie, settings) -> None:
    settings.ALLOWED_HOSTS = ["playground.example.com"]
    assert not await opens(
        "/ws/play/", origin="http://evil.example", host="evil.example", cookie=cookie
    )


async def test_it_lets_a_trusted_origin_in(cookie, settings) -> None:
    settings.ALLOWED_HOSTS = ["playground.example.com", "127.0.0.1"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://playground.example.com", "https://*.example.org"]
    # The proxy in front terminates TLS and reaches the worker by its own address.
    assert await opens(
        "/ws/play/", origin="https://playground.example.com", host="127.0.0.1:8001", cookie=cookie
    )
    assert await opens(
        "/ws/play/", origin="https://team.example.org", host="127.0.0.1:8001", cookie=cookie
    )
    assert not await opens(
        "/ws/play/", origin="http://playground.example.com", host="127.0.0.1:8001", cookie=cookie
    )
    assert not await opens(
        "/ws/play/",
        origin="https://playground.example.com:8443",
        host="127.0.0.1:8001",
        cookie=cookie,
    )


async def test_behind_an_https_proxy_the_forwarded_scheme_counts(cookie, settings) -> None:
    settings.ALLOWED_HOSTS = ["playground.example.com"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    host = "playground.example.com"

    assert await opens(
        "/ws/play/", origin=f"https://{host}", host=host, cookie=cookie, forwarded_proto="https"
    )
    assert not await opens(
        "/ws/play/", origin=f"http://{host}", host=host, cookie=cookie, forwarded_proto="https"
    )
