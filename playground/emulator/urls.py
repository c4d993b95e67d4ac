from __future__ import annotations

from django.urls import path, re_path

from playground.emulator import (
    batches,
    embeddings,
    faults,
    files,
    images,
    recording,
    videos,
    views,
)

app_name = "emulator"

# No trailing slashes: the SDKs join the base URL and `models` or `chat/completions`.
urlpatterns = [
    path("v1beta/openai/models", views.model_list, name="models"),
    path("v1beta/openai/models/<path:model_id>", views.model_detail, name="model"),
    path("v1beta/openai/chat/completions", views.chat_completions, name="chat_completions"),
    path("v1beta/openai/_received", recording.received_requests, name="received"),
    path("v1beta/openai/_faults", faults.fault_log, name="faults"),
    path("v1beta/openai/embeddings", embeddings.embeddings_create, name="embeddings"),
    path("v1beta/openai/batches", batches.batch_collection, name="batches"),
    path("v1beta/openai/batches/<path:batch_path>", batches.batch_member, name="batch"),
    path("v1beta/openai/images/generations", images.image_generations, name="images"),
    path("v1beta/openai/videos", videos.video_create_view, name="videos"),
    path("v1beta/openai/videos/<str:video_id>", videos.video_detail, name="video"),
    path("v1beta/openai/videos/<str:video_id>/content", videos.video_content, name="video_file"),
    # The Files API sits beside `v1beta/openai/`, where the google-genai SDK looks for it.
    *files.file_routes(),
    # Anything else answers in Gemini's error shape, not with an HTML page.
    re_path(r"", views.not_found, name="not_found"),
]
