"""ASGI entry point for daphne and uvicorn: HTTP (with static files) and WebSockets."""

from __future__ import annotations

import os

from playground.handler import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
# Django must be set up before the routing imports models and consumers.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from playground.limits.request_body import RequestBodyLimit  # noqa: E402
from playground.limits.socket_frames import SocketFrameLimits  # noqa: E402
from playground.limits.socket_origin import SiteOriginValidator  # noqa: E402
from playground.routing import websocket_urlpatterns  # noqa: E402
from playground.workers.presence import presence_start  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Oversized bodies are refused before Django reads them.
        "http": RequestBodyLimit(django_asgi_app),
        # The full origin (scheme, host, port), as Django's CSRF check compares a form's; then
        # per-socket limits on message size, rate and JSON depth, before any consumer.
        "websocket": SiteOriginValidator(
            AuthMiddlewareStack(SocketFrameLimits(URLRouter(websocket_urlpatterns)))
        ),
    }
)
# This process serves streams from now on: its heartbeat tells other workers it is alive.
presence_start()
