"""Sockets open only from the site's own origin, compared as Django's CSRF check compares a form's.

A browser sends the session cookie with a WebSocket handshake from any page, so the Origin header
is the only thing telling our pages from another site's. Channels' `AllowedHostsOriginValidator`
compares host names only: a page at `http://127.0.0.1:9999` (any other app on the machine) passed
for `http://127.0.0.1:8000`. Here the whole origin counts, scheme, host and port: it must be the
origin the handshake itself was made to (the Host header with the connection's scheme, as Django
derives `request.is_secure()`, behind a proxy from `SECURE_PROXY_SSL_HEADER`), or one listed in
`CSRF_TRUSTED_ORIGINS` (`https://*.example.com` matches its sub-domains, as for forms).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import is_same_domain, split_domain_port, validate_host

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, str, int]


def origin_parse(value: str) -> Origin | None:
    """(scheme, host, port) of an http(s) origin, the default port filled in; None if unusable."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return (scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme])


def _headers(scope: Mapping[str, Any]) -> dict[str, str]:
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
    }


def _allowed_hosts() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        # What Django's request.get_host() accepts in the same case.
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    return hosts


def _connection_scheme(scope: Mapping[str, Any], headers: Mapping[str, str]) -> str:
    if settings.SECURE_PROXY_SSL_HEADER:
        meta_name, secure_value = settings.SECURE_PROXY_SSL_HEADER
        header = meta_name.removeprefix("HTTP_").lower().replace("_", "-")
        if header in headers:
            return "https" if headers[header].split(",", 1)[0].strip() == secure_value else "http"
    return "https" if scope.get("scheme", "ws") in {"wss", "https"} else "http"


def site_origin(scope: Mapping[str, Any]) -> Origin | None:
    """The origin this handshake was made to, if its host is one we answer to."""
    headers = _headers(scope)
    host = headers.get("host", "")
    if settings.USE_X_FORWARDED_HOST and "x-forwarded-host" in headers:
        host = headers["x-forwarded-host"]
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, _allowed_hosts()):
        return None
    return origin_parse(f"{_connection_scheme(scope, headers)}://{host}")


def _trusted(origin: Origin, raw_origin: str, trusted: Iterable[str]) -> bool:
    netloc = urlsplit(raw_origin.strip().lower()).netloc
    for entry in trusted:
        parts = urlsplit(entry.strip().lower())
        if "*" in parts.netloc:
            # Django's rule for `https://*.example.com`: that scheme, any sub-domain.
            if parts.scheme == origin[0] and is_same_domain(netloc, parts.netloc[1:]):
                return True
        elif origin_parse(entry) == origin:
            return True
    return False


def origin_allowed(scope: Mapping[str, Any]) -> bool:
    raw_origin = _headers(scope).get("origin")
    if raw_origin is None:
        return False
    origin = origin_parse(raw_origin)
    if origin is None:
        return False
    own = site_origin(scope)
    if own is not None and origin == own:
        return True
    return _trusted(origin, raw_origin, settings.CSRF_TRUSTED_ORIGINS)


class SiteOriginValidator:
    """ASGI middleware for the websocket router: refuses the handshake from a foreign origin."""

    def __init__(self, application: Any):
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            raise ValueError("SiteOriginValidator only guards WebSocket connections.")
        if origin_allowed(scope):
            return await self.application(scope, receive, send)
        headers = _headers(scope)
        logger.warning(
            "Refused a socket to %s from origin %r (host %r).",
            scope.get("path", ""),
            headers.get("origin", "")[:200],
            headers.get("host", "")[:200],
        )
        return await WebsocketDenier()(scope, receive, send)
