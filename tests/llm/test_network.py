"""The upstream connections on asyncio's own streams (playground/llm/network.py): plain and TLS,
names with more than one address, a connection the server dropped while idle, and each failure
raised as the httpcore error the SDK maps (a refused connection is retried, a timeout is not)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import ipaddress
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import httpcore2
import httpx2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from playground.llm.client import client_for
from playground.llm.network import (
    COALESCED_BYTES,
    AsyncioBackend,
    AsyncioStream,
    AsyncioTransport,
)

LIMITS = httpx2.Limits(max_connections=10, max_keepalive_connections=10, keepalive_expiry=60)
BODY = b'data: {"ok": true}\n\n'


def _answer(*, close: bool = False) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
        + (b"Connection: close\r\n" if close else b"")
        + b"Content-Length: %d\r\n\r\n%s" % (len(BODY), BODY)
    )


@contextlib.asynccontextmanager
async def served(
    *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1", close_idle: bool = False
) -> AsyncIterator[tuple[int, list[int]]]:
    """A server answering every request; yields its port and the requests per connection.
    `close_idle`: each connection is closed by the server once its first answer has gone."""
    per_connection: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        per_connection.append(0)
        index = len(per_connection) - 1
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = head.lower().partition(b"content-length: ")[2].partition(b"\r\n")[0]
                await reader.readexactly(int(length or 0))
                per_connection[index] += 1
                writer.write(_answer())
                await writer.drain()
                if close_idle:
                    break
        writer.close()

    server = await asyncio.start_server(handle, host, 0, ssl=tls)
    try:
        yield server.sockets[0].getsockname()[1], per_connection
    finally:
        server.close()


def _certificate(folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1: the server's context and a client's trusting it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_path, key_path)
    client = ssl.create_default_context(cafile=str(cert_path))
    return server, client


async def _get(client: httpx2.AsyncClient, url: str) -> bytes:
    response = await client.post(url, content=b"{}")
    return response.content


async def test_a_reply_comes_over_tls_and_the_connection_is_reused(tmp_path: Path) -> None:
    server_tls, client_tls = _certificate(tmp_path)
    transport = AsyncioTransport(limits=LIMITS, verify=client_tls)
    async with served(tls=server_tls) as (port, per_connection):
        async with httpx2.AsyncClient(transport=transport) as client:
            answers = [await _get(client, f"https://127.0.0.1:{port}/") for _ in range(2)]

    assert answers == [BODY, BODY]
    assert per_connection == [2]


async def test_a_certificate_not_trusted_is_refused(tmp_path: Path) -> None:
    server_tls, _ = _certificate(tmp_path)
    transport = AsyncioTransport(limits=LIMITS)  # the system's certificates: not this one
    async with served(tls=server_tls) as (port, _):
        async with httpx2.AsyncClient(transport=transport) as client:
            with pytest.raises(httpx2.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await _get(client, f"https://127.0.0.1:{port}/")


async def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    transport = AsyncioTransport(limits=LIMITS)
    async with served(close_idle=True) as (port, per_connection):
        async with httpx2.AsyncClient(transport=transport) as client:
            await _get(client, f"http://127.0.0.1:{port}/")
            await asyncio.sleep(0.05)  # the server's close arrives
            assert await _get(client, f"http://127.0.0.1:{port}/") == BODY

    assert per_connection == [1, 1]


async def test_a_name_with_an_address_that_refuses_reaches_the_one_that_listens() -> None:
    """`localhost` is ::1 and 127.0.0.1 on most machines; a server on 127.0.0.1 alone is
    reached whichever comes first (happy eyeballs)."""
    transport = AsyncioTransport(limits=LIMITS)
    async with served(host="127.0.0.1") as (port, _):
        async with httpx2.AsyncClient(transport=transport) as client:
            assert await _get(client, f"http://localhost:{port}/") == BODY


async def test_failures_are_httpcores_own_errors() -> None:
    backend = AsyncioBackend()
    async with served() as (port, _):
        pass  # the port is free again: nothing listens there
    with pytest.raises(httpcore2.ConnectError):
        await backend.connect_tcp("127.0.0.1", port, timeout=5)

    stalled = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await stalled.wait()
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    try:
        stream = await backend.connect_tcp("127.0.0.1", server.sockets[0].getsockname()[1])
        with pytest.raises(httpcore2.ReadTimeout):
            await stream.read(1024, timeout=0.05)
        stalled.set()
        await asyncio.sleep(0.05)  # the server's close arrives
        assert stream.get_extra_info("is_readable"), "an idle connection the server closed"
        assert await stream.read(1024, timeout=1) == b""
        await stream.aclose()
        with pytest.raises(httpcore2.WriteError):
            await stream.write(b"GET / HTTP/1.1\r\n\r\n", timeout=1)
    finally:
        server.close()


async def test_a_requests_head_and_small_body_leave_in_one_write() -> None:
    """httpcore writes a request's head, then its body: sent apart, they took two system calls
    and woke the server twice. Small writes leave together, at the next read or at the end of
    the loop's turn; a large one leaves at once, with the socket's back-pressure."""
    async with served() as (port, per_connection):
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
        assert isinstance(stream, AsyncioStream)
        sent: list[bytes] = []
        transport = stream.writer.transport
        write = transport.write
        transport.write = lambda data: (sent.append(bytes(data)), write(data))[1]  # type: ignore[method-assign]
        head, body = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n", b"{}"

        await stream.write(head, timeout=1)
        await stream.write(body, timeout=1)
        assert sent == []
        assert (await stream.read(65536, timeout=5)).startswith(b"HTTP/1.1 200 OK")
        assert sent == [head + body] and per_connection == [1]

        await stream.write(head, timeout=1)
        await asyncio.sleep(0)  # no read follows: the turn's end sends it
        assert sent[1:] == [head]
        await stream.write(body, timeout=1)
        await stream.read(65536, timeout=5)
        assert per_connection == [2]

        large = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % COALESCED_BYTES
        await stream.write(large, timeout=1)
        await stream.write(b"x" * COALESCED_BYTES, timeout=1)
        assert sent[3:] == [large + b"x" * COALESCED_BYTES]
        await stream.read(65536, timeout=5)
        assert per_connection == [3]
        await stream.aclose()


def test_the_clients_connections_are_on_this_backend() -> None:
    from playground.llm.providers import Provider

    client = client_for(Provider("loopback", "Loopback", "http://127.0.0.1:9/v1/", False))
    transport = client._client._transport  # type: ignore[attr-defined]  # TimeoutsNotRetried
    assert isinstance(transport.transport, AsyncioTransport)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_connections_open_on_uvloop_too(host: str) -> None:
    """uvicorn runs on uvloop, whose `create_connection` takes no happy-eyeballs argument."""
    import uvloop

    async def one_request() -> bytes:
        async with served() as (port, _):
            transport = AsyncioTransport(limits=LIMITS)
            async with httpx2.AsyncClient(transport=transport) as client:
                return await _get(client, f"http://{host}:{port}/")

    assert uvloop.run(one_request()) == BODY
