"""One made-up reply per choice: words, thoughts, how it ended, what it cost."""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass

from playground.emulator.chat_request import ChatRequest
from playground.emulator.reply_text import answer_text, thought_text
from playground.emulator.structured_reply import json_answer_text
from playground.emulator.thinking import thinking_tokens
from playground.emulator.tokens import count_tokens, split_tokens
from playground.emulator.tool_calls import PlannedCall, calls_to_make
from playground.emulator.tool_reply_text import tool_answer_text


@dataclass(frozen=True, slots=True)
class Reply:
    index: int
    answer: str
    finish_reason: str
    thinking_tokens: int
    thought: str = ""  # the thought summary, only when include_thoughts asked for it
    # On a text reply (Gemini 3), or on a 2.5 reply that calls functions (whole replies only).
    signature: str | None = None
    tool_calls: tuple[PlannedCall, ...] = ()

    @property
    def answer_tokens(self) -> int:
        calls = sum(count_tokens(call.name + call.arguments) for call in self.tool_calls)
        return count_tokens(self.answer) + calls


def choice_rng(request: ChatRequest, index: int) -> random.Random:
    digest = hashlib.sha256(f"{request.fingerprint}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def thought_signature(request: ChatRequest, index: int) -> str:
    """Opaque and base64 like Gemini's; derived from the request so it is stable."""
    seed = f"signature:{request.fingerprint}:{index}".encode()
    return base64.b64encode(hashlib.shake_256(seed).digest(96)).decode("ascii")


def cut_answer(text: str, *, stop: tuple[str, ...], max_tokens: int | None) -> tuple[str, str]:
    """The text Gemini would have sent and why it ended: a stop sequence or the token limit."""
    cuts = [position for sequence in stop if (position := text.find(sequence)) >= 0]
    if cuts:
        text = text[: min(cuts)]
    tokens = split_tokens(text)
    if max_tokens is not None and len(tokens) > max_tokens:
        return "".join(tokens[:max_tokens]), "length"
    return text, "stop"


def _thinking(request: ChatRequest, rng: random.Random) -> tuple[int, str]:
    question_tokens = count_tokens(request.conversation.last_question)
    thinking = thinking_tokens(request.thinking, rng=rng, question_tokens=question_tokens)
    thought = thought_text(request, rng, thinking) if request.thinking.include_thoughts else ""
    # The summary is part of the thinking, so the thinking is never shorter than it.
    return max(thinking, count_tokens(thought)), thought


def signs_text(request: ChatRequest) -> bool:
    """Gemini 3 signs every reply; a thinking 2.5 model signs when tools are offered."""
    return request.model.signs_text or (bool(request.tools) and request.thinking.enabled)


def calling_reply(request: ChatRequest, index: int, calls: tuple[PlannedCall, ...]) -> Reply:
    """Gemini 3 signs the first call itself; 2.5 signs the whole message when it thinks."""
    thinking, thought = _thinking(request, choice_rng(request, index))
    signed_message = not request.model.signs_text and request.thinking.enabled
    return Reply(
        index=index,
        answer="",
        finish_reason="tool_calls",
        thinking_tokens=thinking,
        thought=thought,
        signature=thought_signature(request, index) if signed_message else None,
        tool_calls=calls,
    )


def reply_write(request: ChatRequest, index: int) -> Reply:
    if calls := calls_to_make(request, index):
        return calling_reply(request, index, calls)
    rng = choice_rng(request, index)
    if request.response_format:
        full_answer = json_answer_text(request, index)
    elif request.tool_history.ends_with_results:
        full_answer = tool_answer_text(request, index)
    else:
        full_answer = answer_text(request, index, rng)
    answer, finish_reason = cut_answer(
        full_answer, stop=request.stop, max_tokens=request.max_tokens
    )
    thinking, thought = _thinking(request, rng)
    return Reply(
        index=index,
        answer=answer,
        finish_reason=finish_reason,
        thinking_tokens=thinking,
        thought=thought,
        signature=thought_signature(request, index) if signs_text(request) else None,
    )


def replies_write(request: ChatRequest) -> list[Reply]:
    return [reply_write(request, index) for index in range(request.n)]


def usage_of(request: ChatRequest, replies: list[Reply]) -> dict[str, int]:
    """Gemini's usage: thinking tokens appear only in the total."""
    prompt = request.conversation.prompt_tokens
    completion = sum(reply.answer_tokens for reply in replies)
    thinking = sum(reply.thinking_tokens for reply in replies)
    return {
        "completion_tokens": completion,
        "prompt_tokens": prompt,
        "total_tokens": prompt + completion + thinking,
    }
