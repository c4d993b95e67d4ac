"""Sockets opened through the whole ASGI application (origin check, sign-in, frame limits), as a
browser on the site's own page opens them."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from playground.asgi import application

SITE = "127.0.0.1:8000"


@sync_to_async
def session_cookie(user: object) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


def site_socket(
    path: str,
    cookie: tuple[bytes, bytes],
    *,
    origin: str | None = f"http://{SITE}",
    host: str = SITE,
    scheme: str = "ws",
    forwarded_proto: str | None = None,
) -> WebsocketCommunicator:
    headers = [(b"host", host.encode()), cookie]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if forwarded_proto is not None:
        headers.append((b"x-forwarded-proto", forwarded_proto.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    communicator.scope["scheme"] = scheme
    return communicator
