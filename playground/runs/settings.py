"""Run settings as one frozen value: what a form cleaned, what is stored, what becomes a spec.

Chat's composer, every compare pane, "Open in playground" and "Send to chat" go through
`RunSettings`: `from_dict`/`to_dict` for what is stored with a conversation or pane,
`to_spec(messages)` for what is sent, `from_spec(spec)` for a saved run. The thinking fields
are decided by `llm.catalog.thinking_request`, the one rule for effort vs thinking_config.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from playground.llm import (
    FunctionTool,
    Message,
    ResponseFormat,
    RunSpec,
    ThinkingRequest,
    canonical_json_object,
    provider_for,
    spec_for_provider,
    thinking_request,
)
from playground.runs.tool_settings import (
    response_format_settings,
    response_format_value,
    tool_choice_setting,
    tool_choice_value,
)


def optional_int(value: object) -> int | None:
    """An int from a stored or typed value; 0 stays 0 (only blank is None)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.lstrip("-").isdigit() and len(text) < 12:
        return int(text)
    return None


def _optional_float(value: object) -> float | None:
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class RunSettings:
    """Everything a person sets for a run, blank meaning "the model's default"."""

    model: str
    # The provider's name; "" is the active provider (settings stored before there was a choice).
    provider: str = ""
    system_prompt: str = ""
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    n: int = 1
    stream: bool = True
    reasoning_effort: str | None = None
    thinking_level: str | None = None
    thinking_budget: int | None = None
    include_thoughts: bool = False
    service_tier: str | None = None
    include_usage: bool = True
    cached_content: str | None = None
    # Free-form Gemini extras as canonical JSON text: {"google": {...}} or "".
    extra_body: str = ""
    tools: tuple[FunctionTool, ...] = ()
    tool_choice: str = "auto"  # "auto", "none", "required" or "function:<name>"
    response_format: ResponseFormat | None = field(default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stop", tuple(self.stop))
        object.__setattr__(self, "tools", tuple(FunctionTool.from_wire(t) for t in self.tools))
        object.__setattr__(self, "extra_body", canonical_json_object(self.extra_body or None))

    @property
    def reasoning_mode(self) -> str:
        """Which one reasoning control is set: what a compare pane shows in its header."""
        if self.reasoning_effort:
            return "effort"
        if self.thinking_level:
            return "level"
        if self.thinking_budget is not None:
            return "budget"
        return "default"

    def thinking(self, *, gemini: bool = True) -> ThinkingRequest:
        if not gemini:  # an OpenAI endpoint takes reasoning_effort as it is, nothing else
            return ThinkingRequest(reasoning_effort=self.reasoning_effort)
        return thinking_request(
            self.model,
            reasoning_effort=self.reasoning_effort,
            thinking_level=self.thinking_level,
            thinking_budget=self.thinking_budget,
            include_thoughts=self.include_thoughts,
        )

    def to_spec(self, history: Iterable[Message], *, provider: str | None = None) -> RunSpec:
        """The request these settings make for `history` (the system prompt goes first)."""
        messages = []
        if self.system_prompt.strip():
            messages.append(Message(role="system", content=self.system_prompt))
        target = provider_for(provider or self.provider)
        thinking = self.thinking(gemini=target.is_gemini)
        spec = RunSpec(
            provider=target.name,
            model=self.model,
            messages=(*messages, *history),
            stream=self.stream,
            temperature=self.temperature,
            top_p=self.top_p,
            max_tokens=self.max_tokens,
            stop=self.stop,
            seed=self.seed,
            n=self.n,
            reasoning_effort=thinking.reasoning_effort,
            thinking_level=thinking.thinking_level,
            thinking_budget=thinking.thinking_budget,
            include_thoughts=thinking.include_thoughts,
            service_tier=self.service_tier,
            include_usage=self.include_usage,
            cached_content=self.cached_content,
            extra_body_json=self.extra_body,
            tools=self.tools,
            # tool_choice means nothing without tools, so it is only sent with them.
            tool_choice=tool_choice_value(self.tool_choice) if self.tools else None,
            response_format=self.response_format,
        )
        return spec_for_provider(spec, target)

    @classmethod
    def from_spec(cls, spec: RunSpec) -> RunSettings:
        """The settings that make `spec` again (a saved reply's "Open in playground")."""
        system = next((m.text for m in spec.messages if m.role == "system"), "")
        return cls(
            model=spec.model,
            provider=spec.provider,
            system_prompt=system,
            temperature=spec.temperature,
            top_p=spec.top_p,
            max_tokens=spec.max_tokens,
            stop=spec.stop,
            seed=spec.seed,
            n=spec.n,
            stream=spec.stream,
            reasoning_effort=spec.reasoning_effort,
            thinking_level=spec.thinking_level,
            thinking_budget=spec.thinking_budget,
            include_thoughts=spec.include_thoughts,
            service_tier=spec.service_tier,
            include_usage=spec.include_usage,
            cached_content=spec.cached_content,
            extra_body=spec.extra_body_json,
            tools=spec.tools,
            tool_choice=tool_choice_setting(spec.tool_choice),
            response_format=spec.response_format,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, as stored with a conversation or a pane and given to forms as initial."""
        return {
            "model": self.model,
            "provider": self.provider,
            "system_prompt": self.system_prompt,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_tokens": self.max_tokens,
            "stop": list(self.stop),
            "seed": self.seed,
            "n": self.n,
            "stream": self.stream,
            "reasoning_mode": self.reasoning_mode,
            "reasoning_effort": self.reasoning_effort or "",
            "thinking_level": self.thinking_level or "",
            "thinking_budget": self.thinking_budget,
            "include_thoughts": self.include_thoughts,
            "service_tier": self.service_tier or "",
            "include_usage": self.include_usage,
            "cached_content": self.cached_content or "",
            "extra_body": self.extra_body,
            "tools": [tool.to_wire() for tool in self.tools],
            "tool_choice": self.tool_choice,
            **response_format_settings(self.response_format),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **overrides: Any) -> RunSettings:
        """Reads what `to_dict` (or a form's cleaned data) holds; missing keys get defaults,
        unknown keys are ignored, so settings stored by older code still read."""
        extra = data.get("extra_body") or ""
        if isinstance(extra, Mapping):
            extra = json.dumps(extra)
        try:
            response_format = response_format_value(data)
        except ValueError:
            response_format = None
        values = {
            "model": str(data.get("model") or ""),
            "provider": str(data.get("provider") or ""),
            "system_prompt": str(data.get("system_prompt") or ""),
            "temperature": _optional_float(data.get("temperature")),
            "top_p": _optional_float(data.get("top_p")),
            "max_tokens": optional_int(data.get("max_tokens")),
            "stop": tuple(data.get("stop") or ()),
            "seed": optional_int(data.get("seed")),
            "n": optional_int(data.get("n")) or 1,
            "stream": bool(data.get("stream", True)),
            "reasoning_effort": data.get("reasoning_effort") or None,
            "thinking_level": data.get("thinking_level") or None,
            "thinking_budget": optional_int(data.get("thinking_budget")),
            "include_thoughts": bool(data.get("include_thoughts")),
            "service_tier": data.get("service_tier") or None,
            "include_usage": bool(data.get("include_usage", True)),
            "cached_content": data.get("cached_content") or None,
            "extra_body": extra,
            "tools": tuple(data.get("tools") or ()),
            "tool_choice": data.get("tool_choice") or "auto",
            "response_format": response_format,
        }
        return replace(cls(**values), **overrides) if overrides else cls(**values)
