from __future__ import annotations

from playground.chat.routing import websocket_urlpatterns as chat_sockets

websocket_urlpatterns = [*chat_sockets]
