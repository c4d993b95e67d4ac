"""The emulator's HTTP endpoints under `v1beta/openai/`, as Gemini's OpenAI-compatible API."""

from __future__ import annotations

import asyncio
import time

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from playground.emulator.access import emulator_endpoint
from playground.emulator.chat_request import chat_request_parse
from playground.emulator.completion import completion_body, completion_id
from playground.emulator.errors import (
    GeminiError,
    invalid_argument,
    json_response,
    model_not_found,
)
from playground.emulator.faults import fault_of, fault_response
from playground.emulator.json_body import REQUEST_LIMIT_BYTES
from playground.emulator.known_models import (
    bare_model_id,
    model_as_openai,
    model_find,
    served_models,
)
from playground.emulator.pace import pace_for
from playground.emulator.recording import request_record
from playground.emulator.replies import replies_write
from playground.emulator.streaming import reply_seconds, sse_events


def request_bytes(request: HttpRequest) -> bytes:
    """The body, read past DATA_UPLOAD_MAX_MEMORY_SIZE (a form limit) up to Gemini's limit."""
    too_big = invalid_argument(
        f"Request payload size exceeds the limit: {REQUEST_LIMIT_BYTES} bytes."
    )
    if int(request.headers.get("Content-Length") or 0) > REQUEST_LIMIT_BYTES:
        raise too_big
    raw = request.read(REQUEST_LIMIT_BYTES + 1)
    if len(raw) > REQUEST_LIMIT_BYTES:
        raise too_big
    return raw


@emulator_endpoint(methods=("GET",))
async def model_list(request: HttpRequest) -> HttpResponse:
    return json_response({"data": [model_as_openai(m) for m in served_models()], "object": "list"})


@emulator_endpoint(methods=("GET",))
async def model_detail(request: HttpRequest, model_id: str) -> HttpResponse:
    # `models/x` arrives as two path segments once the server decodes the SDK's `models%2Fx`.
    model = model_find(model_id)
    if model is None:
        raise model_not_found(bare_model_id(model_id))
    return json_response(model_as_openai(model))


@emulator_endpoint(methods=("POST",))
async def chat_completions(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    raw = request_bytes(request)
    request_record(request.path, raw)
    # Off the event loop: pictures in the messages are decoded while the request is read.
    chat = await asyncio.to_thread(chat_request_parse, raw)
    replies = replies_write(chat)
    pace = pace_for(chat.service_tier)
    reply_id, created = completion_id(), int(time.time())
    if fault := fault_of(chat):  # test-only, and only when EMULATOR_FAULTS_ENABLED is set
        return await fault_response(fault, chat, replies, reply_id=reply_id, created=created)
    if chat.stream:
        response = StreamingHttpResponse(
            sse_events(chat, replies, pace, reply_id=reply_id, created=created),
            content_type="text/event-stream",
        )
        response["Cache-Control"] = "no-cache"
        # Proxies such as nginx would otherwise hold the events back until the end.
        response["X-Accel-Buffering"] = "no"
        return response
    # A non-streaming caller waits for the whole reply, thinking included.
    await asyncio.sleep(reply_seconds(replies, pace))
    return json_response(completion_body(chat, replies, reply_id=reply_id, created=created))


@emulator_endpoint(methods=("GET", "POST", "PUT", "PATCH", "DELETE"))
async def not_found(request: HttpRequest) -> HttpResponse:
    raise GeminiError(404, f"Method not found: {request.method} {request.path}.")
