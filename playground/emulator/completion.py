"""Replies in Gemini's wire shape: one `chat.completion` body, or `chat.completion.chunk`s."""

from __future__ import annotations

import secrets
from typing import Any

from playground.emulator.chat_request import ChatRequest
from playground.emulator.replies import Reply, usage_of


def completion_id() -> str:
    """Gemini's ids are ~23 url-safe characters with no `chatcmpl-` prefix."""
    return secrets.token_urlsafe(17)


def google_extras(*, thought: bool = False, signature: str | None = None) -> dict[str, Any]:
    google: dict[str, Any] = {}
    if thought:
        google["thought"] = True
    if signature:
        google["thought_signature"] = signature
    return {"extra_content": {"google": google}} if google else {}


def message_of(reply: Reply, *, gemini_3: bool = False) -> dict[str, Any]:
    """Thoughts ride inside `content` between tags, flagged on the message, as Gemini sends.

    A 2.5 model that signs (it thinks, and tools were offered) flags the message as a
    thought and repeats the signature in a bare `thought_signature` key (recorded in 2025);
    Gemini 3 signs text replies inside `extra_content` only, and signs the first call itself.
    """
    if reply.tool_calls:
        message: dict[str, Any] = {
            "role": "assistant",
            "tool_calls": [call.wire(with_id=gemini_3) for call in reply.tool_calls],
        }
        if reply.thought:
            message["content"] = f"<thought>{reply.thought}</thought>"
    else:
        content = f"<thought>{reply.thought}</thought>{reply.answer}"
        message = {"content": content if reply.thought else reply.answer, "role": "assistant"}
    signed_2_5 = bool(reply.signature) and not gemini_3
    if signed_2_5:
        message["thought_signature"] = reply.signature
    message.update(
        google_extras(thought=bool(reply.thought) or signed_2_5, signature=reply.signature)
    )
    return message


def completion_body(
    request: ChatRequest, replies: list[Reply], *, reply_id: str, created: int
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "choices": [
            {
                "finish_reason": reply.finish_reason,
                "index": reply.index,
                "message": message_of(reply, gemini_3=request.model.signs_text),
            }
            for reply in replies
        ],
        "created": created,
        "id": reply_id,
        "model": request.model_given,
        "object": "chat.completion",
        "usage": usage_of(request, replies),
    }
    if request.service_tier:
        body["service_tier"] = request.service_tier
    return body


def chunk_body(
    request: ChatRequest,
    *,
    reply_id: str,
    created: int,
    index: int,
    delta: dict[str, Any],
    finish_reason: str | None = None,
    usage: dict[str, int] | None = None,
) -> dict[str, Any]:
    """`finish_reason` and `usage` are left out, not null, on chunks that do not carry them."""
    choice: dict[str, Any] = {"delta": delta, "index": index}
    if finish_reason is not None:
        choice["finish_reason"] = finish_reason
    body: dict[str, Any] = {
        "choices": [choice],
        "created": created,
        "id": reply_id,
        "model": request.model_given,
        "object": "chat.completion.chunk",
    }
    if usage is not None:
        body["usage"] = usage
    if request.service_tier:
        body["service_tier"] = request.service_tier
    return body
