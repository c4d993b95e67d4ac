from __future__ import annotations

from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "playground.chat"
    label = "chat"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from playground.chat.services import conversation_from_reply
        from playground.runs.handoff import reply_receiver_register

        reply_receiver_register("chat", conversation_from_reply)
