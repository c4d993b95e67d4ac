from __future__ import annotations

from playground.chat.routing import websocket_urlpatterns as chat_sockets
from playground.compare.routing import websocket_urlpatterns as compare_sockets
from playground.decks.routing import websocket_urlpatterns as deck_sockets

websocket_urlpatterns = [*chat_sockets, *compare_sockets, *deck_sockets]
