from __future__ import annotations

from django.apps import AppConfig


class EmbeddingsConfig(AppConfig):
    name = "playground.embeddings"
    label = "embeddings"
    default_auto_field = "django.db.models.BigAutoField"
