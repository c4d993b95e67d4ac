from __future__ import annotations

from django.apps import AppConfig


class RunsConfig(AppConfig):
    """The run engine: settings, request, stream, relay, saved reply and rendered reply, once.

    Chat turns and compare panes are users of it; it imports no feature app.
    """

    name = "playground.runs"
    label = "runs"
