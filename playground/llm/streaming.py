"""`stream_reply`: one run against the upstream, as typed events, closed promptly on every exit."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

from openai import AsyncOpenAI, AsyncStream
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from playground.llm.client import client_for
from playground.llm.errors import UpstreamError, error_from_body, upstream_error_from
from playground.llm.events import (
    AnswerDelta,
    Event,
    FinishEvent,
    SignatureEvent,
    ThoughtDelta,
    ToolCallEvent,
    UsageEvent,
)
from playground.llm.flavours import spec_for_provider
from playground.llm.normalise import StreamNormaliser, normalise_message
from playground.llm.providers import provider_for, provider_shown
from playground.llm.runspec import RunSpec
from playground.llm.sse_events import SseEvents

__all__ = [
    "AnswerDelta",
    "Event",
    "FinishEvent",
    "SignatureEvent",
    "StreamNormaliser",
    "ThoughtDelta",
    "ToolCallEvent",
    "UsageEvent",
    "normalise_message",
    "stream_reply",
]


# Posted through the SDK's own `post` (auth, retries, errors, timeouts, as `create` does) with
# `RunSpec.request_body()` as the JSON: `chat.completions.create(**kwargs)` sends the same bytes
# (tests/llm/test_runspec.py) but first walks every message against the SDK's typed parameters,
# on the event loop: 0.6 ms a request, 15 ms with 25 exchanges of history.
CHAT_PATH = "/chat/completions"


async def stream_reply(spec: RunSpec, *, client: AsyncOpenAI | None = None) -> AsyncIterator[Event]:
    """The reply to `spec` as events; every failure is raised as an `UpstreamError`.

    Cancelling the consuming task, or closing this generator (`aclose()`, `aclosing`), closes
    the upstream HTTP response at once. `asyncio.CancelledError` propagates untouched.
    """
    provider = provider_for(spec.provider)
    # A spec stored before its provider's flavour was known still goes out as that flavour takes.
    spec = spec_for_provider(spec, provider)
    if client is None:
        client = client_for(provider)
    if not spec.stream:
        for event in await _whole_reply(client, spec, provider_shown(provider.name)):
            yield event
        return
    normaliser = StreamNormaliser()
    try:
        # The SDK makes the request (auth, retries, errors); the body is read raw (sse_events).
        stream = await client.post(
            CHAT_PATH,
            cast_to=ChatCompletion,
            body=spec.request_body(),
            stream=True,
            stream_cls=AsyncStream[ChatCompletionChunk],
        )
        try:
            sse = SseEvents(stream.response)
            async for data in sse.payloads():
                for event in normaliser.feed(_chunk(data)):
                    yield event
        finally:
            await stream.response.aclose()
    except UpstreamError:
        raise
    except Exception as exc:  # CancelledError is a BaseException: it passes untouched
        error = upstream_error_from(exc, endpoint=provider_shown(provider.name))
        raise _mid_reply(error, normaliser, exc) from exc
    if not normaliser.chunks_seen:
        raise UpstreamError("The endpoint ended the stream without a reply.", kind="malformed")
    for event in normaliser.flush():
        yield event
    if normaliser.unfinished() and not sse.done:
        # The body ended cleanly but early: no `[DONE]`, and the text had no finish_reason.
        # (Either one alone is a complete reply: the client survives both.)
        raise UpstreamError(
            "The endpoint ended the stream before the reply was complete (no finish_reason "
            "and no [DONE]); what arrived is kept.",
            kind="malformed",
        )


def _mid_reply(
    error: UpstreamError, normaliser: StreamNormaliser, exc: BaseException
) -> UpstreamError:
    """A connection that breaks after the reply began did connect: say what happened."""
    if error.kind != "connection" or not normaliser.chunks_seen:
        return error
    cause = exc.__cause__ or exc
    detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return UpstreamError(
        f"The connection to the model endpoint broke during the reply ({detail}); what "
        "arrived is kept.",
        kind="connection",
    )


async def _whole_reply(client: AsyncOpenAI, spec: RunSpec, endpoint: str) -> list[Event]:
    try:
        response = await client.post(CHAT_PATH, cast_to=ChatCompletion, body=spec.request_body())
        return normalise_message(_fields(response))
    except UpstreamError:
        raise
    except Exception as exc:
        raise upstream_error_from(exc, endpoint=endpoint) from exc


def _chunk(data: bytes) -> Mapping[str, Any]:
    """One streamed event's JSON; an error object or list inside the stream is raised."""
    try:
        parsed = json.loads(data)
    except ValueError as exc:  # bad JSON or bad UTF-8
        raise UpstreamError(
            f"The model endpoint sent a reply that could not be read ({exc}).", kind="malformed"
        ) from exc
    if isinstance(parsed, Mapping) and parsed.get("error"):
        # An error event after the stream began with HTTP 200; Gemini's `code` is the status
        # it would have answered with.
        raise error_from_body(_error_code(parsed), parsed)
    return _fields(parsed)


def _fields(parsed: object) -> Mapping[str, Any]:
    """A chunk or reply as the plain dict the endpoint sent, extra fields included.

    The SDK builds its models without validation and keeps unknown fields such as
    `extra_content`; `to_dict()` gives them back without re-reading any JSON.
    """
    to_dict = getattr(parsed, "to_dict", None)
    # No serializer warnings: a field of the wrong type is reported as malformed below.
    data = to_dict(warnings=False) if callable(to_dict) else parsed
    if isinstance(data, list) and data:
        # Gemini wraps errors in a one-item list, mid-stream as well.
        first = _fields(data[0])
        if "error" in first:
            raise error_from_body(_error_code(first), [first])
    if not isinstance(data, Mapping):
        raise UpstreamError(
            f"The endpoint sent something that is not a JSON object: {str(data)[:200]}",
            kind="malformed",
        )
    return data


def _error_code(body: Mapping[str, Any]) -> int | None:
    error = body.get("error")
    code = error.get("code") if isinstance(error, Mapping) else None
    return code if isinstance(code, int) else None
