"""daphne for `manage.py serve`, refusing request bodies over REQUEST_MAX_BODY_BYTES as they arrive.

daphne (Twisted under it) reads a whole request body, to memory or a temporary file, before the
ASGI application is called, so `request_body.RequestBodyLimit` alone would refuse a 1 GiB POST
only after reading it. Here the request refuses a Content-Length over the limit as soon as the
headers are in, and a chunked body as soon as the count passes the limit: it answers 413 and
closes the connection, so Twisted stops reading.
"""

from __future__ import annotations

import io
from typing import Any

from daphne.http_protocol import HTTPFactory, WebRequest
from daphne.server import Server
from django.conf import settings

from playground.limits.request_body import body_refusal_text


class BodyLimitedRequest(WebRequest):
    """Twisted's camelCase hooks, called as the request arrives."""

    body_received = 0
    body_refused = False

    def gotLength(self, length: int | None) -> None:
        self.body_received = 0
        self.body_refused = False
        if length is not None and length > settings.REQUEST_MAX_BODY_BYTES:
            # Else Twisted would answer `Expect: 100-continue` after our 413.
            self.requestHeaders.removeHeader(b"Expect")
            self.content = io.BytesIO()
            self._refuse_body()
            return
        super().gotLength(length)

    def handleContentChunk(self, data: bytes) -> None:
        if self.body_refused:
            return
        self.body_received += len(data)
        if self.body_received > settings.REQUEST_MAX_BODY_BYTES:
            self._refuse_body()
            return
        super().handleContentChunk(data)

    def requestReceived(self, command: bytes, path: bytes, version: bytes) -> None:
        if self.body_refused:
            return  # answered already; the application never sees this request
        super().requestReceived(command, path, version)

    def _refuse_body(self) -> None:
        self.body_refused = True
        body = body_refusal_text(settings.REQUEST_MAX_BODY_BYTES)
        self.channel.transport.write(
            b"HTTP/1.1 413 Content Too Large\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n"
            b"Connection: close\r\n\r\n" + body
        )
        self.channel.loseConnection()


class BodyLimitedHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr: Any) -> Any:
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = BodyLimitedRequest
        return protocol


class BodyLimitedServer(Server):
    """daphne's Server with the request above.

    `Server.run()` builds its HTTP factory inline; taking it over where it is assigned keeps
    the rest of `run()` daphne's own.
    """

    @property
    def http_factory(self) -> HTTPFactory:
        return self._body_limited_factory

    @http_factory.setter
    def http_factory(self, factory: HTTPFactory) -> None:
        self._body_limited_factory = BodyLimitedHTTPFactory(self)
