from __future__ import annotations

from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "playground.chat"
    label = "chat"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from playground.chat.models import Turn
        from playground.chat.services import conversation_from_reply
        from playground.runs.handoff import reply_receiver_register
        from playground.workers.stream_sources import StreamSource, stream_source_register

        reply_receiver_register("chat", conversation_from_reply)

        # Limits count streaming turns, the heartbeat sweep ends cut-off ones; neither may
        # import this app, so it tells them where its streaming rows are.
        stream_source_register(
            StreamSource(
                kind="turn",
                model=Turn,
                user_field="conversation__user_id",
                created_field="created_at",
                cut_off_message="The server stopped while this reply was being generated.",
            )
        )
