from __future__ import annotations

from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "playground.images"
    label = "images"
    default_auto_field = "django.db.models.BigAutoField"
