"""Reads for the chat pages and the consumer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from playground.chat.models import Conversation, Turn, attachments_in_order
from playground.llm import Message, ToolCall
from playground.runs.attachments import user_content
from playground.runs.states import ReplyState


def conversations_of(user: AbstractBaseUser) -> QuerySet[Conversation]:
    return Conversation.objects.filter(user=user).only("pk", "title", "updated_at")


SIDEBAR_LENGTH = 200


def sidebar_conversations(
    user: AbstractBaseUser, *, current: Conversation | None
) -> list[Conversation]:
    """The most recent conversations, and always the one open: a new message moves its entry
    to the top of the list, which must be there to move."""
    listed = list(conversations_of(user)[:SIDEBAR_LENGTH])
    if current is not None and all(item.pk != current.pk for item in listed):
        listed.append(current)
    return listed


def conversation_of(user: AbstractBaseUser, conversation_id: int) -> Conversation | None:
    return Conversation.objects.filter(pk=conversation_id, user=user).first()


def turn_of(user: AbstractBaseUser, turn_id: int) -> Turn | None:
    return Turn.objects.filter(pk=turn_id, conversation__user=user).first()


@dataclass(frozen=True)
class BranchPlace:
    """Where a shown turn sits among its versions (edits of a message, regenerated replies)."""

    number: int  # 1-based, oldest first
    count: int
    previous_id: int | None
    next_id: int | None

    @classmethod
    def among(cls, sibling_ids: list[int], pk: int) -> BranchPlace:
        index = sibling_ids.index(pk)
        return cls(
            number=index + 1,
            count=len(sibling_ids),
            previous_id=sibling_ids[index - 1] if index else None,
            next_id=sibling_ids[index + 1] if index + 1 < len(sibling_ids) else None,
        )


def shown_branch(conversation: Conversation) -> list[tuple[int, BranchPlace]]:
    """The ids of the turns the conversation shows, first to last, each with its place among
    its siblings. Reads only the tree's ids, whatever the number of branches."""
    rows = conversation.turns.order_by("pk").values_list("pk", "parent_id", "is_chosen")
    children: dict[int | None, list[tuple[int, bool]]] = defaultdict(list)
    for pk, parent_id, is_chosen in rows:
        children[parent_id].append((pk, is_chosen))
    shown: list[tuple[int, BranchPlace]] = []
    parent: int | None = None
    while siblings := children.pop(parent, None):  # popped: a bad row cannot make a loop
        ids = [pk for pk, _ in siblings]
        # Exactly one sibling is chosen; should none be, the newest is what was seen last.
        chosen = next((pk for pk, is_chosen in siblings if is_chosen), ids[-1])
        shown.append((chosen, BranchPlace.among(ids, chosen)))
        parent = chosen
    return shown


def shown_turns(conversation: Conversation) -> list[Turn]:
    """The turns of the shown branch, in order, each with `branch` (its `BranchPlace`)."""
    shown = shown_branch(conversation)
    rows = conversation.turns.filter(pk__in=[pk for pk, _ in shown])
    by_id = {turn.pk: turn for turn in rows.prefetch_related(attachments_in_order())}
    turns = []
    for pk, place in shown:
        turn = by_id[pk]
        turn.branch = place
        turns.append(turn)
    return turns


def transcript(conversation: Conversation) -> list[Turn]:
    """The shown branch, with `is_last_live` set for the page's buttons and `calls_answered`
    on assistant turns whose tool calls the next turn answers."""
    turns = shown_turns(conversation)
    for turn in turns:
        turn.is_last_live = False
        turn.calls_answered = False
    if turns and turns[-1].role == Turn.Role.ASSISTANT:
        turns[-1].is_last_live = True
    for turn, following in pairwise(turns):
        turn.calls_answered = following.role == Turn.Role.TOOL
    return turns


def last_shown_turn(
    conversation: Conversation, *, busy_refused: Exception | None = None
) -> Turn | None:
    """The shown branch's last turn, with its `branch` place. With `busy_refused`, raises it
    when a reply on the branch is still being written (the same read of the branch)."""
    shown = shown_branch(conversation)
    if busy_refused is not None and shown:
        ids = [pk for pk, _ in shown]
        if conversation.turns.filter(pk__in=ids, state=ReplyState.STREAMING).exists():
            raise busy_refused
    if not shown:
        return None
    pk, place = shown[-1]
    turn = conversation.turns.get(pk=pk)
    turn.branch = place
    return turn


def branch_place(turn: Turn) -> BranchPlace:
    """Where a turn sits among its versions (for a turn shown on its own, as a finished reply)."""
    ids = list(
        Turn.objects.filter(conversation_id=turn.conversation_id, parent_id=turn.parent_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return BranchPlace.among(ids, turn.pk)


def shown_branch_streaming(conversation: Conversation) -> bool:
    shown = [pk for pk, _ in shown_branch(conversation)]
    return conversation.turns.filter(pk__in=shown, state=ReplyState.STREAMING).exists()


def calls_of(turn: Turn) -> list[dict[str, Any]]:
    """The tool calls of an assistant turn's first choice (the one a tool loop continues)."""
    calls = turn.candidates[0].get("tool_calls") if turn.candidates else None
    return calls if isinstance(calls, list) else []


def tool_calls_awaiting(*, conversation: Conversation | None, turn_id: int) -> list[dict] | None:
    """The calls of `turn_id` when they can be answered now: it is the last turn of the
    shown branch, a finished reply that called tools. None otherwise."""
    if conversation is None:
        return None
    last = last_shown_turn(conversation)
    if last is None or last.pk != turn_id or last.role != Turn.Role.ASSISTANT:
        return None
    if last.state != ReplyState.DONE:
        return None
    return calls_of(last) or None


def history_for_run(conversation: Conversation) -> list[Message]:
    """The messages of the shown branch a new run should send.

    An assistant turn that called tools goes back with its calls, each call's `extra_content`
    and the turn's own exactly as received, when the next turn answers them; then one tool
    message per result. Calls nobody answered are left out (the conversation moved on), with
    the signature that came for them, and so are assistant turns left with nothing to send:
    Gemini refuses empty content.
    """
    return history_of(shown_turns(conversation))


def history_of(shown: list[Turn]) -> list[Message]:
    """`history_for_run` of the shown branch's turns, already read."""
    turns = [turn for turn in shown if turn.state != ReplyState.STREAMING]
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
