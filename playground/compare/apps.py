from __future__ import annotations

from django.apps import AppConfig


class CompareConfig(AppConfig):
    name = "playground.compare"
    label = "compare"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from playground.compare.models import Pane
        from playground.workers.stream_sources import StreamSource, stream_source_register

        # Limits count streaming panes, the heartbeat sweep ends cut-off ones; neither may
        # import this app, so it tells them where its streaming rows are.
        stream_source_register(
            StreamSource(
                kind="pane",
                model=Pane,
                user_field="comparison__user_id",
                created_field="comparison__created_at",
                cut_off_message="The server stopped while this pane was being generated.",
            )
        )
