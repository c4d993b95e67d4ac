from __future__ import annotations

from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "playground.video"
    label = "video"
    default_auto_field = "django.db.models.BigAutoField"
