"""The answer after tool results come back: it quotes each result, so a person running a tool
loop can see that the results reached the "model" and which call each one answered."""

from __future__ import annotations

from playground.emulator.chat_request import ChatRequest
from playground.emulator.json_body import json_read
from playground.emulator.reply_text import DISCLAIMER, one_line, settings_line
from playground.emulator.tool_history import ToolResult

RESULT_LIMIT = 160


def _is_error(content: str) -> bool:
    stripped = content.strip()
    if stripped.lower().startswith(("error", "exception", "failed")):
        return True
    try:
        parsed = json_read(stripped)  # bounded: a JsonRefused is a ValueError too
    except ValueError:
        return False
    return isinstance(parsed, dict) and "error" in parsed


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _result_line(result: ToolResult) -> str:
    call = _code(result.name)
    if result.arguments.strip() not in ("", "{}"):
        call += f" with {_code(one_line(result.arguments, 80))}"
    quoted = one_line(result.content, RESULT_LIMIT) or "(nothing)"
    if _is_error(result.content):
        return f"- {call} reported an error: “{quoted}”"
    return f"- {call} returned “{quoted}”"


def _summary(results: tuple[ToolResult, ...]) -> str:
    answers = [one_line(r.content, RESULT_LIMIT) for r in results if not _is_error(r.content)]
    if not answers:
        return (
            "Every tool reported an error, so there is nothing to answer from; a real model "
            "would say so and perhaps try again with other arguments."
        )
    joined = "; ".join(f"“{answer}”" for answer in answers)
    failed = len(results) - len(answers)
    note = f" ({failed} call(s) failed.)" if failed else ""
    return f"Putting the results together: {joined}.{note}"


def tool_answer_text(request: ChatRequest, index: int) -> str:
    results = request.tool_history.results
    conversation = request.conversation
    parts = [DISCLAIMER]
    if conversation.last_question.strip():
        parts.append(f"You asked: “{one_line(conversation.last_question)}”")
    count = len(results)
    heading = (
        f"The tool{'s' if count != 1 else ''} answered ({count} result{'s' if count != 1 else ''}):"
    )
    parts.append("\n".join([heading, *(_result_line(result) for result in results)]))
    parts.append(_summary(results))
    parts.append(settings_line(request, index))
    return "\n\n".join(parts)
