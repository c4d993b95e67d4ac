from __future__ import annotations

from django.urls import path

from playground.chat.consumers import PlayConsumer

websocket_urlpatterns = [
    path("ws/play/", PlayConsumer.as_asgi()),
]
