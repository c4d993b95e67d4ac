from __future__ import annotations

from django.apps import AppConfig


class DecksConfig(AppConfig):
    name = "playground.decks"
    label = "decks"
    default_auto_field = "django.db.models.BigAutoField"
