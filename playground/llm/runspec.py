"""One run described as one value: what is sent, stored, replayed and exported as code.

`RunSpec.request_body()` is the JSON that goes on the wire, posted as it is through the openai
SDK's client (`llm/streaming.py`). Business rules (which model takes which setting) live in the
forms and in `catalog`; this module only builds faithfully. Tools, `tool_choice` and
`response_format` are described in `request_options`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from playground.llm.content_parts import Content, content_from, content_text, content_wire
from playground.llm.request_options import (
    FunctionChoice,
    FunctionTool,
    ResponseFormat,
    response_format_from,
    tool_choice_from,
    tool_choice_wire,
)

Role = Literal["system", "user", "assistant", "tool"]
JsonObject = Mapping[str, Any]

# Top-level parameters sent as they are when set, in the order the request body shows them.
_PLAIN_PARAMS = (
    "temperature",
    "top_p",
    "max_tokens",
    "seed",
    "reasoning_effort",
    "service_tier",
)


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A call the model made; `extra_content` holds its thought signature, kept verbatim."""

    id: str
    name: str
    arguments: str
    extra_content: JsonObject | None = None

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }
        if self.extra_content is not None:
            wire["extra_content"] = self.extra_content
        return wire

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> ToolCall:
        function = data.get("function") or {}
        return cls(
            id=str(data.get("id") or ""),
            name=str(function.get("name") or ""),
            arguments=str(function.get("arguments") or ""),
            extra_content=data.get("extra_content"),
        )


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    # A string, or parts (text, image_url, input_audio; see content_parts) for attachments.
    content: Content
    # The assistant's `extra_content` exactly as received: Gemini wants its signature back.
    extra_content: JsonObject | None = None
    name: str | None = None
    tool_call_id: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.tool_calls, tuple):
            object.__setattr__(self, "tool_calls", tuple(self.tool_calls))
        if not isinstance(self.content, str):
            object.__setattr__(self, "content", content_from(self.content))

    @property
    def text(self) -> str:
        """The words only, whether the content is a string or parts."""
        return content_text(self.content)

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"role": self.role}
        # An assistant turn that only calls tools has no text; Gemini rejects empty parts.
        if self.content or not self.tool_calls:
            wire["content"] = content_wire(self.content)
        if self.name:
            wire["name"] = self.name
        if self.tool_call_id:
            wire["tool_call_id"] = self.tool_call_id
        if self.tool_calls:
            wire["tool_calls"] = [call.to_wire() for call in self.tool_calls]
        if self.extra_content is not None:
            wire["extra_content"] = self.extra_content
        return wire

    def to_dict(self) -> dict[str, Any]:
        return {"content": content_wire(self.content), **self.to_wire()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        return cls(
            role=data["role"],
            content=data.get("content") or "",
            extra_content=data.get("extra_content"),
            name=data.get("name"),
            tool_call_id=data.get("tool_call_id"),
            tool_calls=tuple(ToolCall.from_wire(call) for call in data.get("tool_calls") or ()),
        )


def canonical_json_object(value: str | Mapping[str, Any] | None) -> str:
    """A JSON object as a sorted, compact string ("" for none): a frozen value can hold it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    parsed = json.loads(value) if isinstance(value, str) else value
    if not isinstance(parsed, Mapping):
        raise ValueError("extra_body_json must be a JSON object.")
    if not parsed:
        return ""
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _deep_merge(base: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True, slots=True)
class RunSpec:
    provider: str
    model: str
    messages: tuple[Message, ...]
    stream: bool = True
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    n: int = 1
    reasoning_effort: str | None = None
    thinking_level: str | None = None
    thinking_budget: int | None = None
    include_thoughts: bool = False
    service_tier: str | None = None
    include_usage: bool = True
    cached_content: str | None = None
    # Free-form Gemini extras, placed inside the literal `extra_body` key of the request.
    extra_body_json: str = ""
    # Function tools; wire-shaped dicts given here are read into FunctionTool values.
    tools: tuple[FunctionTool, ...] = ()
    # "auto", "none", "required", a FunctionChoice, or None to leave it out.
    tool_choice: str | FunctionChoice | None = None
    response_format: ResponseFormat | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "messages", tuple(self.messages))
        object.__setattr__(self, "stop", tuple(self.stop))
        object.__setattr__(self, "extra_body_json", canonical_json_object(self.extra_body_json))
        tools = tuple(FunctionTool.from_wire(tool) for tool in self.tools)
        object.__setattr__(self, "tools", tools)
        object.__setattr__(self, "tool_choice", tool_choice_from(self.tool_choice))
        object.__setattr__(self, "response_format", response_format_from(self.response_format))

    def google_options(self) -> dict[str, Any]:
        """What this spec's own fields put under `extra_body.google`."""
        thinking: dict[str, Any] = {}
        if self.thinking_level is not None:
            thinking["thinking_level"] = self.thinking_level
        if self.thinking_budget is not None:
            thinking["thinking_budget"] = self.thinking_budget
        if self.include_thoughts:
            thinking["include_thoughts"] = True
        google: dict[str, Any] = {}
        if thinking:
            google["thinking_config"] = thinking
        if self.cached_content:
            google["cached_content"] = self.cached_content
        return google

    def extra_body(self) -> dict[str, Any]:
        """The value of the request's literal `extra_body` key ({} when there is none).

        The free-form JSON goes in first; the spec's own fields are merged over it, so the
        settings a page shows are the ones sent.
        """
        extra = json.loads(self.extra_body_json) if self.extra_body_json else {}
        google = self.google_options()
        return _deep_merge(extra, {"google": google}) if google else extra

    def request_body(self) -> dict[str, Any]:
        """The exact JSON body of the chat completion request; unset parameters are left out."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [message.to_wire() for message in self.messages],
        }
        for name in _PLAIN_PARAMS:
            value = getattr(self, name)
            if value is not None:
                body[name] = value
        if self.stop:
            body["stop"] = list(self.stop)
        if self.n != 1:
            body["n"] = self.n
        if self.tools:
            body["tools"] = [tool.to_wire() for tool in self.tools]
        if self.tool_choice is not None:
            body["tool_choice"] = tool_choice_wire(self.tool_choice)
        if self.response_format is not None:
            body["response_format"] = self.response_format.to_wire()
        if self.stream:
            body["stream"] = True
            if self.include_usage:
                body["stream_options"] = {"include_usage": True}
        if extra := self.extra_body():
            body["extra_body"] = extra
        return body

    def with_messages(self, messages: Iterable[Message]) -> RunSpec:
        """The same settings with these messages instead (for the next turn of a tool loop)."""
        return replace(self, messages=tuple(messages))

    def to_dict(self) -> dict[str, Any]:
        data = {spec_field.name: getattr(self, spec_field.name) for spec_field in fields(self)}
        data["messages"] = [message.to_dict() for message in self.messages]
        data["stop"] = list(self.stop)
        data["tools"] = [tool.to_wire() for tool in self.tools]
        data["tool_choice"] = (
            None if self.tool_choice is None else tool_choice_wire(self.tool_choice)
        )
        data["response_format"] = self.response_format.to_wire() if self.response_format else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunSpec:
        """Reads what `to_dict` wrote; keys it does not know (from newer code) are ignored, and
        keys it misses (from older code: tools, tool_choice, response_format) get defaults."""
        known = {spec_field.name for spec_field in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values.setdefault("provider", "")
        values.setdefault("model", "")
        values["messages"] = tuple(Message.from_dict(m) for m in data.get("messages") or ())
        values["stop"] = tuple(data.get("stop") or ())
        values["tools"] = tuple(data.get("tools") or ())
        return cls(**values)
