"""Gemini's chat chunks and replies turned into typed events (every quirk in GEMINI_WIRE.md).

- Thoughts ride inside `content`: thought deltas are flagged `extra_content.google.thought`,
  the first starts with a literal `<thought>`, the first answer delta starts with `</thought>`;
  a thought-only reply may never close the tag, and a tag may be split across deltas.
- Tool-call deltas have no `index` and arrive complete: each one is a new call, in arrival
  order. OpenAI-style `index`ed pieces are merged and emitted when their choice finishes.
- Tool call ids may be empty: a stable id is made up so the tool's answer can refer to it.
- `finish_reason` comes on the last chunk only and may be a non-standard string.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from uuid import uuid4

from playground.llm.errors import UpstreamError
from playground.llm.events import (
    AnswerDelta,
    Event,
    FinishEvent,
    SignatureEvent,
    ThoughtDelta,
    ToolCallEvent,
    usage_event,
)

OPEN_TAG = "<thought>"
CLOSE_TAG = "</thought>"


def _malformed(what: str, value: object) -> UpstreamError:
    return UpstreamError(
        f"The endpoint sent {what} that could not be read: {str(value)[:200]}", kind="malformed"
    )


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _malformed(what, value)
    return value


class _ThoughtSplitter:
    """Separates one choice's thought text from its answer text, delta by delta.

    Tags decide where a thought block opens (a flagged delta without `<thought>` is answer
    text: Gemini also flags plain answers that carry a signature); the flag, or a
    `</thought>`, decides where it ends. `held` keeps a possible piece of a split tag;
    the first `held_thought` characters of it came from thought text.
    """

    __slots__ = ("held", "held_thought", "in_thought")

    def __init__(self) -> None:
        self.in_thought = False
        self.held = ""
        self.held_thought = 0

    def feed(self, text: str, flagged: bool, choice: int) -> list[Event]:
        if not (flagged or self.held or self.in_thought):
            return [AnswerDelta(text, choice)]  # the common case: a plain answer stream
        if self.in_thought:
            return self._inside(text, flagged, choice)
        return self._outside(text, flagged, choice)

    def flush(self, choice: int) -> list[Event]:
        """Releases held text when the choice ends (a tag that never completed is text)."""
        held, from_thought = self.held, self.held_thought
        self.held, self.held_thought = "", 0
        events: list[Event] = []
        if held and self.in_thought and from_thought:
            events.append(ThoughtDelta(held[:from_thought], choice))
            held = held[from_thought:]
        if held:
            events.append(AnswerDelta(held, choice))
        return events

    def _outside(self, text: str, flagged: bool, choice: int) -> list[Event]:
        joined, self.held = self.held + text, ""
        if flagged:
            if joined.startswith(OPEN_TAG):
                self.in_thought = True
                return self._inside(joined[len(OPEN_TAG) :], True, choice)
            if OPEN_TAG.startswith(joined):
                self.held = joined
                return []
        return [AnswerDelta(joined, choice)]

    def _inside(self, text: str, flagged: bool, choice: int) -> list[Event]:
        joined = self.held + text
        from_thought = len(joined) if flagged else self.held_thought
        self.held, self.held_thought = "", 0
        end = joined.find(CLOSE_TAG)
        if end >= 0:
            self.in_thought = False
            events: list[Event] = [ThoughtDelta(joined[:end], choice)] if end else []
            if rest := joined[end + len(CLOSE_TAG) :]:
                events.extend(self._outside(rest, flagged, choice))
            return events
        if flagged:
            return self._thought_text(joined, choice)
        if CLOSE_TAG.startswith(joined) or CLOSE_TAG.startswith(joined[from_thought:]):
            self.held, self.held_thought = joined, from_thought  # "</tho" + "ught>" may follow
            return []
        # The answer began without a closing tag.
        self.in_thought = False
        events = [ThoughtDelta(joined[:from_thought], choice)] if from_thought else []
        events.append(AnswerDelta(joined[from_thought:], choice))
        return events

    def _thought_text(self, text: str, choice: int) -> list[Event]:
        # Keep back a trailing "<", "</", "</tho"...: the closing tag may be split.
        start = text.rfind("<")
        if start >= 0 and CLOSE_TAG.startswith(text[start:]):
            self.held, self.held_thought = text[start:], len(text) - start
            text = text[:start]
        return [ThoughtDelta(text, choice)] if text else []


class _PendingCall:
    """An OpenAI-style tool call whose pieces are still arriving."""

    __slots__ = ("arguments", "call_id", "extra_content", "name", "position")

    def __init__(self, position: int) -> None:
        self.position = position
        self.call_id = ""
        self.name = ""
        self.arguments: list[str] = []
        self.extra_content: Mapping[str, Any] | None = None


class _ChoiceState:
    __slots__ = ("calls", "pending", "splitter")

    def __init__(self) -> None:
        self.splitter = _ThoughtSplitter()
        self.calls = 0
        self.pending: dict[int, _PendingCall] = {}

    def next_position(self) -> int:
        self.calls += 1
        return self.calls - 1


def _arguments_text(arguments: object) -> str:
    if arguments is None:
        return ""
    if isinstance(arguments, str):
        return arguments
    return json.dumps(arguments)  # some servers send an object; the wire format is a string


def _thought_flag(google: object) -> bool:
    return isinstance(google, Mapping) and google.get("thought") is True


def _has_signature(google: object) -> bool:
    return isinstance(google, Mapping) and bool(google.get("thought_signature"))


def _choice_index(choice: Mapping[str, Any], position: int) -> int:
    index = choice.get("index")
    return index if isinstance(index, int) else position


def _choices(payload: Mapping[str, Any]) -> list[Any]:
    choices = payload.get("choices")
    if choices is None:
        return []
    if not isinstance(choices, list):
        raise _malformed("a `choices` field", choices)
    return choices


class StreamNormaliser:
    """Turns a stream's chunks (as plain dicts) into events; one instance per stream.

    Call `feed` for every chunk, then `flush` once when the stream ends: it releases what a
    choice without a `finish_reason` still holds (a split tag, OpenAI-style tool calls).
    """

    def __init__(self, *, id_prefix: str | None = None) -> None:
        self._states: dict[int, _ChoiceState] = {}
        self._id_prefix = id_prefix or f"call_{uuid4().hex[:16]}"
        self.chunks_seen = 0
        # Choices whose last delta was text with no `finish_reason` yet.
        self._open_text: set[int] = set()

    def feed(self, chunk: Mapping[str, Any]) -> list[Event]:
        if not isinstance(chunk, Mapping):
            raise _malformed("a chunk", chunk)
        self.chunks_seen += 1
        events: list[Event] = []
        for position, choice in enumerate(_choices(chunk)):
            choice = _mapping(choice, "a choice")
            delta = _mapping(choice.get("delta"), "a delta")
            self._take(_choice_index(choice, position), delta, choice.get("finish_reason"), events)
        if usage := chunk.get("usage"):
            events.append(usage_event(_mapping(usage, "a usage object")))
        return events

    def unfinished(self) -> list[int]:
        """Choices cut off in their text: no `finish_reason` came after it.

        A choice whose last delta was a tool call counts as complete (calls arrive whole, and
        a recorded Gemini 3 stream ends on a signed call without a `finish_reason`).
        """
        return sorted(self._open_text)

    def flush(self) -> list[Event]:
        events: list[Event] = []
        for choice in sorted(self._states):
            events.extend(self._close(choice))
        return events

    def _take(
        self,
        choice: int,
        part: Mapping[str, Any],
        finish_reason: object,
        events: list[Event],
        *,
        tags_only: bool = False,
    ) -> None:
        """One choice's delta (or a whole message, with `tags_only`) into `events`."""
        state = self._states.get(choice) or self._states.setdefault(choice, _ChoiceState())
        extra = part.get("extra_content")
        google = extra.get("google") if isinstance(extra, Mapping) else None
        content = part.get("content")
        if content:
            if not isinstance(content, str):
                raise _malformed("message content", content)
            flagged = tags_only or _thought_flag(google)
            events.extend(state.splitter.feed(content, flagged, choice))
        if tool_calls := part.get("tool_calls"):
            self._take_tool_calls(state, choice, tool_calls, events)
        if _has_signature(google):
            assert isinstance(extra, Mapping)
            events.append(SignatureEvent(choice, extra))
        if content:
            self._open_text.add(choice)
        if tool_calls or finish_reason:
            self._open_text.discard(choice)
        if finish_reason:
            events.extend(self._close(choice))
            events.append(FinishEvent(choice, str(finish_reason)))

    def _take_tool_calls(
        self, state: _ChoiceState, choice: int, tool_calls: object, events: list[Event]
    ) -> None:
        if not isinstance(tool_calls, list):
            raise _malformed("a `tool_calls` field", tool_calls)
        for raw in tool_calls:
            call = _mapping(raw, "a tool call")
            index = call.get("index")
            if isinstance(index, int):
                self._merge_piece(state, choice, index, call, events)
            else:
                events.append(self._complete_call(state, choice, call))

    def _complete_call(
        self, state: _ChoiceState, choice: int, call: Mapping[str, Any]
    ) -> ToolCallEvent:
        position = state.next_position()
        function = _mapping(call.get("function"), "a tool call's function")
        return ToolCallEvent(
            choice=choice,
            position=position,
            call_id=str(call.get("id") or "") or self._made_up_id(choice, position),
            name=str(function.get("name") or ""),
            arguments=_arguments_text(function.get("arguments")),
            extra_content=call.get("extra_content"),
        )

    def _merge_piece(
        self,
        state: _ChoiceState,
        choice: int,
        index: int,
        call: Mapping[str, Any],
        events: list[Event],
    ) -> None:
        pending = state.pending.get(index)
        call_id = str(call.get("id") or "")
        if pending is not None and call_id and pending.call_id and call_id != pending.call_id:
            # A new call reusing an index: the previous one is complete.
            events.append(self._pending_event(choice, state.pending.pop(index)))
            pending = None
        if pending is None:
            pending = state.pending[index] = _PendingCall(state.next_position())
        function = _mapping(call.get("function"), "a tool call's function")
        pending.call_id = pending.call_id or call_id
        name = str(function.get("name") or "")
        if name and name != pending.name:
            pending.name += name  # servers either repeat the whole name or stream it in pieces
        pending.arguments.append(_arguments_text(function.get("arguments")))
        if pending.extra_content is None:
            pending.extra_content = call.get("extra_content")

    def _pending_event(self, choice: int, pending: _PendingCall) -> ToolCallEvent:
        return ToolCallEvent(
            choice=choice,
            position=pending.position,
            call_id=pending.call_id or self._made_up_id(choice, pending.position),
            name=pending.name,
            arguments="".join(pending.arguments),
            extra_content=pending.extra_content,
        )

    def _close(self, choice: int) -> list[Event]:
        state = self._states.get(choice)
        if state is None:
            return []
        events = state.splitter.flush(choice)
        for pending in sorted(state.pending.values(), key=lambda p: p.position):
            events.append(self._pending_event(choice, pending))
        state.pending.clear()
        return events

    def _made_up_id(self, choice: int, position: int) -> str:
        return f"{self._id_prefix}_{choice}_{position}"


def normalise_message(response: Mapping[str, Any], *, id_prefix: str | None = None) -> list[Event]:
    """The events of a whole (non-streamed) chat completion, in the order a stream gives them.

    Here the tags alone decide: the message's `extra_content.google.thought` flag is set
    on plain answers too.
    """
    if not isinstance(response, Mapping):
        raise _malformed("a reply", response)
    normaliser = StreamNormaliser(id_prefix=id_prefix)
    events: list[Event] = []
    for position, choice in enumerate(_choices(response)):
        choice = _mapping(choice, "a choice")
        message = _mapping(choice.get("message"), "a message")
        index = _choice_index(choice, position)
        normaliser._take(index, message, choice.get("finish_reason"), events, tags_only=True)
    events.extend(normaliser.flush())
    if usage := response.get("usage"):
        events.append(usage_event(_mapping(usage, "a usage object")))
    return events
