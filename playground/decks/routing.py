from __future__ import annotations

from django.urls import path

from playground.decks.consumers import DeckConsumer

websocket_urlpatterns = [
    path("ws/decks/", DeckConsumer.as_asgi()),
]
