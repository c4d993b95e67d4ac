from __future__ import annotations

from django.urls import path, re_path

from playground.emulator import views

app_name = "emulator"

# No trailing slashes: the SDKs join the base URL and `models` or `chat/completions`.
urlpatterns = [
    path("v1beta/openai/models", views.model_list, name="models"),
    path("v1beta/openai/models/<path:model_id>", views.model_detail, name="model"),
    path("v1beta/openai/chat/completions", views.chat_completions, name="chat_completions"),
    # Anything else answers in Gemini's error shape, not with an HTML page.
    re_path(r"", views.not_found, name="not_found"),
]
