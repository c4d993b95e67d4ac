"""httpcore's network layer on asyncio's own streams, for the upstream connections.

httpcore's default backend goes through anyio: its connect runs a task group (happy eyeballs)
even for one address, and every read and write takes a cancel scope and an extra turn of the
event loop. Served, opening a connection and writing a small request took 1.9-2.3 ms, and
1.4 ms on asyncio's streams (the rest is httpcore's pool and h11), on the path of a first
answer text. This backend keeps httpcore's pool, HTTP/1.1 handling and exceptions; only the
socket work is asyncio's (`asyncio.open_connection`, `StreamWriter.start_tls`), with the same
timeouts and error classes the anyio backend raises.
"""

# The `timeout` parameters are httpcore's interface, which this module implements.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore2
import httpx2

# RFC 8305's connection attempt delay, as anyio's `connect_tcp` uses: a host whose IPv6
# address does not answer is tried over IPv4 after this long, not after the connect timeout.
HAPPY_EYEBALLS_DELAY = 0.25

# Writes smaller than this together wait to leave as one (a request's head and a small body).
COALESCED_BYTES = 64 * 1024


class AsyncioStream(httpcore2.AsyncNetworkStream):
    """A connection whose small writes wait for the end of the loop's turn, or for the next
    read, and leave together: httpcore writes a request's head and its body one after the
    other, and sent apart they took two system calls and woke the server twice."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.unsent: list[bytes] = []
        self.unsent_size = 0

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self._send_unsent()
        try:
            async with asyncio.timeout(timeout):
                return await self.reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore2.ReadTimeout(exc) from exc
        except OSError as exc:
            raise httpcore2.ReadError(exc) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        if self.writer.transport.is_closing():
            raise httpcore2.WriteError("the connection is closed")
        self.unsent.append(buffer)
        self.unsent_size += len(buffer)
        if self.unsent_size < COALESCED_BYTES:
            if len(self.unsent) == 1:
                asyncio.get_running_loop().call_soon(self._send_unsent)
            return
        self._send_unsent()
        try:
            async with asyncio.timeout(timeout):
                await self.writer.drain()  # returns at once unless the socket's buffer is full
        except TimeoutError as exc:
            raise httpcore2.WriteTimeout(exc) from exc
        except (OSError, RuntimeError) as exc:
            raise httpcore2.WriteError(exc) from exc

    def _send_unsent(self) -> None:
        if self.unsent:
            data = b"".join(self.unsent)
            self.unsent.clear()
            self.unsent_size = 0
            if not self.writer.transport.is_closing():  # a failure shows on the next read
                self.writer.write(data)

    async def aclose(self) -> None:
        # Not waiting for the close to finish: a TLS peer that never answers the close would
        # hold a stopped reply for asyncio's 30 s shutdown timeout (anyio's backend, as httpx
        # uses it, does not wait either).
        self.writer.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        try:
            await self.writer.start_tls(
                ssl_context, server_hostname=server_hostname, ssl_handshake_timeout=timeout
            )
        except TimeoutError as exc:
            await self.aclose()
            raise httpcore2.ConnectTimeout(exc) from exc
        except OSError as exc:  # ssl.SSLError and ConnectionError among them
            await self.aclose()
            raise httpcore2.ConnectError(exc) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        transport = self.writer.transport
        match info:
            case "ssl_object":
                return transport.get_extra_info("ssl_object")
            case "client_addr":
                return transport.get_extra_info("sockname")
            case "server_addr":
                return transport.get_extra_info("peername")
            case "socket":
                return transport.get_extra_info("socket")
            case "is_readable":
                # An idle connection with something to read was closed (or spoken to) by the
                # server: asyncio reads eagerly, so that shows as end of stream or a transport
                # already closing, not as bytes waiting on the socket.
                return transport.is_closing() or self.reader.at_eof()
        return None


class AsyncioBackend(httpcore2.AsyncNetworkBackend):
    # uvloop (uvicorn's default loop) has no happy eyeballs in `create_connection`: there a
    # name goes through anyio's own race, as it did before this backend.
    anyio = httpcore2.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        named = not _is_address(host)
        if named and not isinstance(asyncio.get_running_loop(), asyncio.BaseEventLoop):
            return await self.anyio.connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                    # One address needs no race (asyncio would still run one); uvloop takes
                    # no such argument at all.
                    **({"happy_eyeballs_delay": HAPPY_EYEBALLS_DELAY} if named else {}),
                )
        except TimeoutError as exc:
            raise httpcore2.ConnectTimeout(exc) from exc
        except OSError as exc:
            raise httpcore2.ConnectError(exc) from exc
        return _with_options(AsyncioStream(reader, writer), socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_unix_connection(path)
        except TimeoutError as exc:
            raise httpcore2.ConnectTimeout(exc) from exc
        except OSError as exc:
            raise httpcore2.ConnectError(exc) from exc
        return _with_options(AsyncioStream(reader, writer), socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _with_options(
    stream: AsyncioStream, options: Iterable[httpcore2.SOCKET_OPTION] | None
) -> AsyncioStream:
    sock = stream.get_extra_info("socket")
    for option in options or ():
        sock.setsockopt(*option)
    return stream


class AsyncioTransport(httpx2.AsyncHTTPTransport):
    """httpx's transport (request and response mapping, proxy-free pool) on `AsyncioBackend`."""

    def __init__(self, *, limits: httpx2.Limits, verify: ssl.SSLContext | bool = True) -> None:
        ssl_context = httpx2.create_ssl_context(verify=verify)  # certificates read once
        super().__init__(limits=limits, verify=ssl_context)
        # httpx builds its pool without a way to name the backend: the same pool, rebuilt.
        self._pool = httpcore2.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=AsyncioBackend(),
        )
