"""A chat completion request body, checked field by field with Gemini's wording."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from playground.emulator.conversation import Conversation, conversation_parse
from playground.emulator.errors import (
    invalid_argument,
    invalid_value,
    unknown_field,
    unrecognized_argument,
)
from playground.emulator.json_body import body_json
from playground.emulator.known_models import KnownModel, model_asked, openai_flavoured
from playground.emulator.thinking import ThinkingPlan, thinking_plan
from playground.emulator.tool_history import (
    NO_TOOL_HISTORY,
    ToolHistory,
    signatures_check,
    tool_history_parse,
)
from playground.emulator.tool_request import (
    AUTO_CHOICE,
    FunctionTool,
    ToolChoice,
    tool_choice_parse,
    tools_parse,
)

ACCEPTED_FIELDS = frozenset(
    {
        "model",
        "messages",
        "stream",
        "stream_options",
        "temperature",
        "top_p",
        "max_tokens",
        "max_completion_tokens",
        "n",
        "stop",
        "seed",
        "response_format",
        "tools",
        "tool_choice",
        "reasoning_effort",
        "service_tier",
        "extra_body",
        "presence_penalty",
        "frequency_penalty",
    }
)
# An OpenAI server takes no Gemini extras: `extra_body` is an unknown argument there.
OPENAI_ACCEPTED_FIELDS = ACCEPTED_FIELDS - {"extra_body"}
GOOGLE_EXTRA_FIELDS = ("cached_content", "safety_settings", "thinking_config")
SERVICE_TIERS = ("auto", "default", "flex", "priority")
RESPONSE_FORMAT_TYPES = ("json_object", "json_schema", "text")
MAX_CHOICES = 8
MAX_STOP_SEQUENCES = 5
# Fields that change the words of a reply; the rest only cut, pace or wrap them.
WORDING_FIELDS = (
    "model",
    "messages",
    "temperature",
    "top_p",
    "seed",
    "response_format",
    "tools",
    "tool_choice",
    "presence_penalty",
    "frequency_penalty",
)


@dataclass(frozen=True, slots=True)
class ChatRequest:
    model_given: str
    model: KnownModel
    conversation: Conversation
    thinking: ThinkingPlan
    stream: bool = False
    include_usage: bool = False
    n: int = 1
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()
    temperature: float | None = None
    response_format: dict[str, Any] | None = None
    tools: tuple[FunctionTool, ...] = ()
    tool_choice: ToolChoice = AUTO_CHOICE
    tool_history: ToolHistory = NO_TOOL_HISTORY
    service_tier: str | None = None
    cached_content: str | None = None
    # A hash of everything that shapes the wording: equal requests with a seed get equal
    # replies; without a seed each request draws anew, as a sampling model would.
    fingerprint: str = ""

    @property
    def tool_names(self) -> tuple[str, ...]:
        return tuple(tool.name for tool in self.tools)


def _body_from_bytes(raw: bytes) -> dict[str, Any]:
    body = body_json(raw)
    if not isinstance(body, dict):
        raise invalid_argument("Invalid JSON payload received. Root element must be a message.")
    openai = openai_flavoured()
    for name in body:
        if openai and name not in OPENAI_ACCEPTED_FIELDS:
            raise unrecognized_argument(name)
        if name not in ACCEPTED_FIELDS:
            raise unknown_field(name)
    return body


def _chat_model(body: dict[str, Any]) -> tuple[str, KnownModel]:
    given = body.get("model")
    model = model_asked(
        given,
        kind="chat",
        missing="model is required: name a model, e.g. gemini-2.5-flash.",
        refusal="and does not support generateContent: it cannot be used for chat completions.",
    )
    return str(given), model


def _number(body: dict[str, Any], name: str, low: float, high: float) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid_value(name, "TYPE_FLOAT", value)
    if not low <= value <= high:
        raise invalid_argument(f"Invalid {name}: {value}. It must be between {low:g} and {high:g}.")
    return float(value)


def _integer(body: dict[str, Any], name: str, low: int, high: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_value(name, "TYPE_INT32", value)
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise invalid_argument(f"Invalid {name}: {value}. It must be {bounds}.")
    return value


def _boolean(value: Any, name: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise invalid_value(name, "TYPE_BOOL", value)
    return value


def _stop_sequences(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    sequences = [value] if isinstance(value, str) else value
    if not isinstance(sequences, list) or not all(isinstance(s, str) for s in sequences):
        raise invalid_value("stop", "TYPE_STRING", value)
    if len(sequences) > MAX_STOP_SEQUENCES:
        raise invalid_argument(
            f"Invalid stop: {len(sequences)} sequences given, at most {MAX_STOP_SEQUENCES} "
            "are allowed."
        )
    return tuple(s for s in sequences if s)


def _include_usage(value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, dict):
        raise invalid_value("stream_options", "TYPE_MESSAGE", value)
    for name in value:
        if name != "include_usage":
            raise unknown_field(name, at="stream_options")
    return _boolean(value.get("include_usage"), "stream_options.include_usage")


def _response_format(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    kind = value.get("type") if isinstance(value, dict) else None
    if kind not in RESPONSE_FORMAT_TYPES:
        valid = ", ".join(RESPONSE_FORMAT_TYPES)
        raise invalid_argument(f"Invalid response_format type: {kind}. Valid values are: {valid}")
    if kind == "json_schema":
        schema = (value.get("json_schema") or {}).get("schema")
        if not isinstance(schema, dict):
            raise invalid_argument(
                "response_format json_schema needs json_schema.schema (an object)."
            )
    return None if kind == "text" else value


def _google_extras(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid_value("extra_body", "TYPE_MESSAGE", value)
    for name in value:
        if name != "google":
            raise unknown_field(name, at="extra_body")
    google = value.get("google") or {}
    if not isinstance(google, dict):
        raise invalid_value("extra_body.google", "TYPE_MESSAGE", google)
    for name in google:
        if name not in GOOGLE_EXTRA_FIELDS:
            raise unknown_field(name, at="extra_body.google")
    return google


def _service_tier(value: Any) -> str | None:
    if value is None or value in SERVICE_TIERS:
        return value
    raise invalid_argument(
        f"Invalid service_tier: {value}. Valid values are: {', '.join(SERVICE_TIERS)}"
    )


def _fingerprint(body: dict[str, Any], thinking: ThinkingPlan, cached_content: Any) -> str:
    wording = {name: body.get(name) for name in WORDING_FIELDS}
    wording["model"] = str(wording["model"]).removeprefix("models/")
    # How much the model thinks shapes the words; whether the summary is shown does not.
    wording["thinking"] = [thinking.level, thinking.budget]
    wording["cached_content"] = cached_content
    if wording["seed"] is None:  # repeats of one prompt must vary (thinking, length, words)
        wording["draw"] = secrets.token_hex(8)
    canonical = json.dumps(wording, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chat_request_parse(raw: bytes) -> ChatRequest:
    """Raises GeminiError for anything Gemini would refuse, in the order Gemini checks."""
    body = _body_from_bytes(raw)
    model_given, model = _chat_model(body)
    conversation = conversation_parse(body.get("messages"))
    google = _google_extras(body.get("extra_body"))
    _number(body, "top_p", 0, 1)
    for name in ("presence_penalty", "frequency_penalty"):
        _number(body, name, -2, 2)
    _integer(body, "seed", -(2**63), 2**63 - 1)
    # The newer name wins when a client sends both.
    max_completion_tokens = _integer(body, "max_completion_tokens", 1)
    max_tokens = max_completion_tokens or _integer(body, "max_tokens", 1)
    cached_content = google.get("cached_content")
    thinking = thinking_plan(
        model, effort=body.get("reasoning_effort"), config=google.get("thinking_config")
    )
    tools = tools_parse(body.get("tools"))
    tool_choice = tool_choice_parse(body.get("tool_choice"), tools)
    tool_history = tool_history_parse(body.get("messages"))
    if model.signs_text:
        signatures_check(tool_history)
    return ChatRequest(
        model_given=model_given,
        model=model,
        conversation=conversation,
        thinking=thinking,
        stream=_boolean(body.get("stream"), "stream"),
        include_usage=_include_usage(body.get("stream_options")),
        n=_integer(body, "n", 1, MAX_CHOICES) or 1,
        max_tokens=max_tokens,
        stop=_stop_sequences(body.get("stop")),
        temperature=_number(body, "temperature", 0, 2),
        response_format=_response_format(body.get("response_format")),
        tools=tools,
        tool_choice=tool_choice,
        tool_history=tool_history,
        service_tier=_service_tier(body.get("service_tier")),
        cached_content=cached_content if isinstance(cached_content, str) else None,
        fingerprint=_fingerprint(body, thinking, cached_content),
    )
