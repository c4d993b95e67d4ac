"""The function calls and tool results a conversation sends back, and Gemini 3's check that
each call of the current turn carries its thought signature.

Positions in Gemini's message count `contents` from 1: every message but the system ones,
which become the separate `system_instruction`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.emulator.conversation import SYSTEM_ROLES
from playground.emulator.errors import GeminiError, invalid_argument, invalid_value
from playground.emulator.json_body import json_read
from playground.emulator.signatures import signature_fits
from playground.limits.json_depth import JsonRefused

SIGNATURE_DOCS = "https://ai.google.dev/gemini-api/docs/thought-signatures"


@dataclass(frozen=True, slots=True)
class SentCall:
    call_id: str
    name: str
    arguments: str
    signature: str | None = None


@dataclass(frozen=True, slots=True)
class CallTurn:
    """An assistant message that called functions."""

    message_index: int
    position: int  # 1-based, in Gemini's `contents`
    calls: tuple[SentCall, ...]


@dataclass(frozen=True, slots=True)
class ToolResult:
    name: str
    arguments: str
    content: str


@dataclass(frozen=True, slots=True)
class ToolHistory:
    call_turns: tuple[CallTurn, ...] = ()
    # Index of the last `user` message: the current turn is everything after it.
    current_turn_start: int = -1
    # The tool messages that end the conversation, matched to the calls they answer.
    results: tuple[ToolResult, ...] = ()

    @property
    def ends_with_results(self) -> bool:
        return bool(self.results)


NO_TOOL_HISTORY = ToolHistory()


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [part.get("text") for part in content if isinstance(part, dict)]
        return "\n".join(text for text in texts if isinstance(text, str))
    return ""


def _signature_of(extra_content: Any) -> str | None:
    google = extra_content.get("google") if isinstance(extra_content, dict) else None
    signature = google.get("thought_signature") if isinstance(google, dict) else None
    return signature if isinstance(signature, str) and signature else None


def _sent_call(call: Any, where: str) -> SentCall:
    function = call.get("function") if isinstance(call, dict) else None
    if not isinstance(function, dict) or not isinstance(function.get("name"), str):
        raise invalid_argument(f"Invalid {where}: a function call needs function.name.")
    arguments = function.get("arguments", "")
    if arguments is None:
        arguments = ""
    if not isinstance(arguments, str):
        raise invalid_value(f"{where}.function.arguments", "TYPE_STRING", arguments)
    if arguments.strip():
        try:
            parsed = json_read(arguments)
        except JsonRefused as refusal:
            raise invalid_argument(f"Invalid {where}.function.arguments: {refusal}") from None
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise invalid_argument(
                f"Invalid {where}.function.arguments: {arguments[:100]!r} is not a JSON object, "
                "so it cannot become the functionCall args."
            )
    extra = call.get("extra_content")
    if extra is not None and not isinstance(extra, dict):
        raise invalid_value(f"{where}.extra_content", "TYPE_MESSAGE", extra)
    call_id = call.get("id")
    return SentCall(
        call_id if isinstance(call_id, str) else "",
        function["name"],
        arguments,
        _signature_of(extra),
    )


def _results(messages: list[Any], turns: list[CallTurn]) -> tuple[ToolResult, ...]:
    """Trailing tool messages, each matched to its call by id, or else by order."""
    trailing: list[dict[str, Any]] = []
    for message in reversed(messages):
        if not isinstance(message, dict) or message.get("role") != "tool":
            break
        trailing.insert(0, message)
    if not trailing:
        return ()
    calls = turns[-1].calls if turns else ()
    by_id = {call.call_id: call for call in calls if call.call_id}
    results = []
    for order, message in enumerate(trailing):
        call = by_id.get(str(message.get("tool_call_id") or ""))
        if call is None and order < len(calls):
            call = calls[order]
        name = message.get("name") if isinstance(message.get("name"), str) else ""
        results.append(
            ToolResult(
                name=call.name if call else name or "tool",
                arguments=call.arguments if call else "",
                content=_text_of(message.get("content")),
            )
        )
    return tuple(results)


def tool_history_parse(messages: Any) -> ToolHistory:
    """Reads what `conversation_parse` already checked for shape, plus the calls themselves."""
    if not isinstance(messages, list):
        return ToolHistory()
    turns: list[CallTurn] = []
    position = 0
    last_user = -1
    for index, message in enumerate(messages):
        role = message.get("role") if isinstance(message, dict) else None
        if role in SYSTEM_ROLES:
            continue
        position += 1
        if role == "user":
            last_user = index
        raw_calls = message.get("tool_calls") if isinstance(message, dict) else None
        if role != "assistant" or not raw_calls:
            continue
        if not isinstance(raw_calls, list):
            raise invalid_value(f"messages[{index}].tool_calls", "TYPE_LIST", raw_calls)
        calls = tuple(
            _sent_call(call, f"messages[{index}].tool_calls[{number}]")
            for number, call in enumerate(raw_calls)
        )
        turns.append(CallTurn(index, position, calls))
    return ToolHistory(tuple(turns), last_user, _results(messages, turns))


def missing_signature(name: str, position: int) -> GeminiError:
    # Wording copied from a recorded 400 (fixtures: error_400_missing_thought_signature_*).
    return GeminiError(
        400,
        "Function call is missing a thought_signature in functionCall parts. This is required "
        "for tools to work correctly, and missing thought_signature may lead to degraded model "
        f"performance. Additional data, function call default_api:{name} , position "
        f"{position}. Please refer to {SIGNATURE_DOCS} for more details.",
    )


def signatures_check(history: ToolHistory) -> None:
    """Gemini 3: in the current turn, the first call of every step must carry the signature
    it came with, and a signature must sit on the call it was made for. Earlier turns are
    not checked (Google's thought-signature page says the same)."""
    for turn in history.call_turns:
        if turn.message_index < history.current_turn_start:
            continue
        for number, call in enumerate(turn.calls):
            if call.signature is None:
                if number == 0:
                    raise missing_signature(call.name, turn.position)
                continue
            if not signature_fits(call.signature, call.name, call.arguments):
                raise GeminiError(400, "Corrupted thought signature.")
