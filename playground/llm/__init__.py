"""The one layer that talks to an OpenAI-compatible upstream (Gemini's endpoint, its emulator or
another provider), and the only one that knows the wire's shape: request specs and what each
provider flavour accepts, streaming events, errors, the catalog of model ids, media and batch
requests, and the literal requests "Get code" prints.

Everything outside this package imports from here (`from playground.llm import RunSpec`), never
from a module inside it (tests/test_boundaries.py checks), so the modules can be rearranged
without touching the apps.
"""

from __future__ import annotations

import importlib
from typing import Any

# Each name and the module it lives in: a module is imported when one of its names is first
# used, so the settings (which read the catalog) do not load the SDKs with it.
_WHERE = {
    "AnswerDelta": "events",
    "BatchResult": "batch_output",
    "BatchState": "batches",
    "CHAT": "catalog",
    "CHAT_ENDPOINT": "batches",
    "COMPLETED": "videos",
    "CodeRequest": "code_requests",
    "ContentPart": "content_parts",
    "DEFAULT_EMBEDDING_MODELS": "embeddings",
    "DEFAULT_KEY_VARIABLE": "code_requests",
    "DEFAULT_SCHEMA_NAME": "request_options",
    "DownloadedVideo": "videos",
    "EFFORTS": "catalog",
    "EMBEDDINGS": "catalog",
    "EMBEDDINGS_ENDPOINT": "batches",
    "EMBEDDING_MODELS": "embeddings",
    "EMULATOR": "providers",
    "ENDPOINTS": "batches",
    "EmbeddingSpec": "embeddings",
    "Example": "ready_examples",
    "FAILED": "videos",
    "FileRead": "code_literals",
    "FinishEvent": "events",
    "FunctionChoice": "request_options",
    "FunctionTool": "request_options",
    "GeneratedImage": "images",
    "IMAGE_GENERATION": "catalog",
    "ImageRequest": "images",
    "InputImage": "videos",
    "MAX_NESTING": "code_literals",
    "MAX_TEXTS": "embeddings",
    "Message": "runspec",
    "Problem": "tooling",
    "Provider": "providers",
    "ReasoningRow": "catalog",
    "RemoteModel": "models_api",
    "ResponseFormat": "request_options",
    "RunSpec": "runspec",
    "SCHEMA_NAME": "request_options",
    "SignatureEvent": "streaming",
    "ThinkingRequest": "catalog",
    "ThoughtDelta": "events",
    "ToolCall": "runspec",
    "ToolCallEvent": "events",
    "UpstreamError": "errors",
    "UsageEvent": "events",
    "VIDEO_GENERATION": "catalog",
    "VideoRequest": "videos",
    "VideoStatus": "videos",
    "active_provider": "providers",
    "bare_model_id": "catalog",
    "batch_code_request": "code_requests",
    "batch_output_read": "batch_output",
    "call_is_signed": "events",
    "cancel_batch": "batches",
    "canonical_json_object": "runspec",
    "capabilities_of": "catalog",
    "chat_code_request": "code_requests",
    "check_structured_reply": "tooling",
    "configured_providers": "providers",
    "create_batch": "batches",
    "create_video": "videos",
    "curl_form_option": "code_literals",
    "download_file": "batches",
    "download_video": "videos",
    "effort_meaning": "catalog",
    "embed_texts": "embeddings",
    "embedding_code_request": "code_requests",
    "embedding_model": "embeddings",
    "family_of": "catalog",
    "file_name_for": "code_requests",
    "form_fields": "code_literals",
    "generate_images": "images",
    "heredoc_json": "code_literals",
    "image_code_request": "code_requests",
    "image_request_for_provider": "flavours",
    "json_error_message": "tooling",
    "json_text": "code_literals",
    "list_models": "models_api",
    "literal": "code_literals",
    "pretty_arguments": "tooling",
    "provider_for": "providers",
    "provider_named": "providers",
    "provider_shown": "providers",
    "python_keyword_arguments": "code_literals",
    "reasoning_row": "catalog",
    "reasoning_table": "catalog",
    "request_written_signal": "client",
    "retrieve_batch": "batches",
    "retrieve_model": "models_api",
    "retrieve_video": "videos",
    "schema_examples": "ready_examples",
    "schema_text_problems": "tooling",
    "shell_quoted": "code_literals",
    "spec_for_provider": "flavours",
    "stream_reply": "streaming",
    "thinking_refusal": "catalog",
    "thinking_request": "catalog",
    "tool_error_result": "tooling",
    "tool_examples": "ready_examples",
    "tool_text_problems": "tooling",
    "upload_batch_input": "batches",
    "video_code_request": "code_requests",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
