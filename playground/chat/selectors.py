"""Reads for the chat pages and the consumer."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from playground.chat.models import Conversation, Turn, attachments_in_order
from playground.llm.runspec import Message, ToolCall
from playground.runs.attachments import user_content
from playground.runs.states import ReplyState


def conversations_of(user: AbstractBaseUser) -> QuerySet[Conversation]:
    return Conversation.objects.filter(user=user).only("pk", "title", "updated_at")


def conversation_of(user: AbstractBaseUser, conversation_id: int) -> Conversation | None:
    return Conversation.objects.filter(pk=conversation_id, user=user).first()


def turn_of(user: AbstractBaseUser, turn_id: int) -> Turn | None:
    return Turn.objects.filter(pk=turn_id, conversation__user=user).first()


def transcript(conversation: Conversation) -> list[Turn]:
    """Every turn, replaced ones included, with `is_last_live` set for the page's buttons and
    `calls_answered` on assistant turns whose tool calls the next turn answers."""
    turns = list(conversation.turns.prefetch_related(attachments_in_order()))
    live = [turn for turn in turns if turn.replaced_at is None]
    last = live[-1] if live else None
    for turn in turns:
        turn.is_last_live = turn is last and turn.role == Turn.Role.ASSISTANT
        turn.calls_answered = False
    for turn, following in pairwise(live):
        turn.calls_answered = following.role == Turn.Role.TOOL
    return turns


def live_turns(conversation: Conversation) -> list[Turn]:
    return list(
        conversation.turns.filter(replaced_at__isnull=True).prefetch_related(attachments_in_order())
    )


def calls_of(turn: Turn) -> list[dict[str, Any]]:
    """The tool calls of an assistant turn's first choice (the one a tool loop continues)."""
    calls = turn.candidates[0].get("tool_calls") if turn.candidates else None
    return calls if isinstance(calls, list) else []


def tool_calls_awaiting(*, conversation: Conversation | None, turn_id: int) -> list[dict] | None:
    """The calls of `turn_id` when they can be answered now: it is the conversation's last
    live turn, a finished reply that called tools. None otherwise."""
    if conversation is None:
        return None
    last = conversation.turns.filter(replaced_at__isnull=True).order_by("pk").last()
    if last is None or last.pk != turn_id or last.role != Turn.Role.ASSISTANT:
        return None
    if last.state != ReplyState.DONE:
        return None
    return calls_of(last) or None


def history_for_run(conversation: Conversation) -> list[Message]:
    """The messages of the live turns a new run should send.

    An assistant turn that called tools goes back with its calls, each call's `extra_content`
    and the turn's own exactly as received, when the next turn answers them; then one tool
    message per result. Calls nobody answered are left out (the conversation moved on), with
    the signature that came for them, and so are assistant turns left with nothing to send:
    Gemini refuses empty content.
    """
    turns = [turn for turn in live_turns(conversation) if turn.state != ReplyState.STREAMING]
    history: list[Message] = []
    for index, turn in enumerate(turns):
        following = turns[index + 1] if index + 1 < len(turns) else None
        if turn.role == Turn.Role.USER:
            content = user_content(turn.content, list(turn.attachments.all()))
            history.append(Message("user", content))
        elif turn.role == Turn.Role.ASSISTANT:
            answered = following is not None and following.role == Turn.Role.TOOL
            calls = tuple(ToolCall.from_wire(call) for call in calls_of(turn)) if answered else ()
            if not turn.content.strip() and not calls:
                continue
            extra = (turn.candidates[0].get("extra_content") if turn.candidates else None) or None
            if calls_of(turn) and not calls:
                extra = None  # a signature made for calls that are left out has nothing to sign
            history.append(
                Message("assistant", turn.content, extra_content=extra, tool_calls=calls)
            )
        elif history and history[-1].tool_calls:
            history += [
                Message("tool", result["content"], tool_call_id=result["call_id"])
                for result in turn.tool_results
            ]
    return history
