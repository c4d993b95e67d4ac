"""Which functions a made-up reply calls, with what arguments, under which ids and signatures.

- `tool_choice` none: no call. auto: a call whenever the conversation ends with a user
  message; once tool results come back, a text answer. required or a named function: a call
  every time, as Gemini's mode ANY does.
- The function whose name and description share the most words with the question is
  called (a question holding arithmetic pulls towards a function taking an expression);
  several when the question names things for several (weather in Paris, time in Tokyo);
  with none sharing a word, the first declared.
- A question naming several places or people gives one call per name, when the function
  takes a place or a person: parallel calls.
- Gemini 3 signs the first call of a reply; ids look like Gemini's `function-call-<digits>`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from playground.emulator.chat_request import ChatRequest
from playground.emulator.prompt_clues import PromptClues, prompt_clues, word_stems
from playground.emulator.schema_values import (
    EXPRESSION_HINTS,
    PERSON_HINTS,
    PLACE_HINTS,
    hint_words,
    value_for_schema,
)
from playground.emulator.signatures import call_signature
from playground.emulator.tool_request import FunctionTool

MAX_CALLS = 8
NO_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}}


@dataclass(frozen=True, slots=True)
class PlannedCall:
    call_id: str
    name: str
    arguments: str  # a JSON object, compact, as Gemini writes it
    signature: str | None = None

    def wire(self, *, with_id: bool = True) -> dict[str, Any]:
        call: dict[str, Any] = {
            "function": {"arguments": self.arguments, "name": self.name},
            "id": self.call_id if with_id else "",
            "type": "function",
        }
        if self.signature:
            call["extra_content"] = {"google": {"thought_signature": self.signature}}
        return call


def _takes_a_name(tool: FunctionTool) -> bool:
    """Whether the function has a free-text place or person parameter (one call per name)."""
    properties = (tool.parameters or {}).get("properties")
    if not isinstance(properties, dict):
        return False
    return any(
        isinstance(schema, dict)
        and schema.get("type", "string") == "string"
        and "enum" not in schema
        and hint_words(name, schema) & (PLACE_HINTS | PERSON_HINTS)
        for name, schema in properties.items()
    )


def _keyword_positions(tool: FunctionTool, clues: PromptClues) -> list[int]:
    """Where the question uses a word of the function's name or description."""
    tool_stems = word_stems(f"{tool.name} {tool.description}")
    lower = clues.question.lower()
    positions = []
    for word in clues.words:
        if word_stems(word) & tool_stems:
            start = lower.find(word)
            if start >= 0:
                positions.append(start)
    return sorted(positions)


def _takes_an_expression(tool: FunctionTool) -> bool:
    properties = (tool.parameters or {}).get("properties")
    return isinstance(properties, dict) and any(
        isinstance(schema, dict) and hint_words(name, schema) & EXPRESSION_HINTS
        for name, schema in properties.items()
    )


def _score(tool: FunctionTool, clues: PromptClues) -> int:
    """Shared words, and a strong pull towards a calculator when there is arithmetic."""
    score = len(_keyword_positions(tool, clues))
    if clues.expression and _takes_an_expression(tool):
        score += 2
    return score


def _chosen_tools(request: ChatRequest, clues: PromptClues) -> list[FunctionTool]:
    choice = request.tool_choice
    if choice.mode == "function":
        return [tool for tool in request.tools if tool.name == choice.function]
    scores = [(_score(tool, clues), tool) for tool in request.tools]
    best = max(score for score, _ in scores)
    if best == 0:
        return [request.tools[0]]
    return [tool for score, tool in scores if score > 0 and score * 2 >= best]


def _owner(at: int, positions: dict[str, list[int]], default: str) -> str:
    """The function whose words come last before position `at` of the question."""
    owner, latest = default, -1
    for name, spots in positions.items():
        earlier = [spot for spot in spots if spot < at]
        if earlier and max(earlier) > latest:
            owner, latest = name, max(earlier)
    return owner


def _name_slots(tools: list[FunctionTool], clues: PromptClues) -> list[tuple[FunctionTool, int]]:
    """(function, which name it gets) for every call to make."""
    names = clues.names
    takers = [tool for tool in tools if _takes_a_name(tool)]
    if len(names) < 2 or not takers:
        return [(tool, 0) for tool in tools]
    if len(tools) == 1:
        return [(tools[0], slot) for slot in range(len(names))]
    # Several functions: each name goes to the function mentioned last before it.
    lower = clues.question.lower()
    positions = {tool.name: _keyword_positions(tool, clues) for tool in takers}
    assigned: dict[str, list[int]] = {tool.name: [] for tool in takers}
    for slot, name in enumerate(names):
        assigned[_owner(lower.find(name.lower()), positions, takers[0].name)].append(slot)
    calls: list[tuple[FunctionTool, int]] = []
    for tool in tools:
        slots = assigned.get(tool.name)
        calls += [(tool, slot) for slot in slots] if slots else [(tool, 0)]
    return calls


def _call_id(request: ChatRequest, index: int, position: int) -> str:
    digest = hashlib.sha256(f"call-id:{request.fingerprint}:{index}:{position}".encode())
    return f"function-call-{int.from_bytes(digest.digest()[:8], 'big') % 10**19:019d}"


def _arguments(tool: FunctionTool, clues: PromptClues, slot: int) -> str:
    value = value_for_schema(
        tool.parameters or NO_PARAMETERS, clues, slot=slot, all_properties=False
    )
    if not isinstance(value, dict):
        value = {}
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def calls_to_make(request: ChatRequest, index: int) -> tuple[PlannedCall, ...]:
    choice = request.tool_choice
    if not request.tools or not choice.calls_tools:
        return ()
    if not choice.forced and request.tool_history.ends_with_results:
        return ()
    clues = prompt_clues(request.conversation.last_question)
    planned = _name_slots(_chosen_tools(request, clues), clues)[:MAX_CALLS]
    calls = []
    for position, (tool, slot) in enumerate(planned):
        arguments = _arguments(tool, clues, slot)
        signature = None
        if position == 0 and request.model.signs_text:
            seed = f"{request.fingerprint}:{index}"
            signature = call_signature(tool.name, arguments, seed=seed)
        calls.append(
            PlannedCall(_call_id(request, index, position), tool.name, arguments, signature)
        )
    return tuple(calls)
