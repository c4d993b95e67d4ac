"""Writes for conversations and turns. Plain functions; the consumer calls them off the loop."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from playground.chat.models import (
    Conversation,
    ReplyState,
    Turn,
    TurnAttachment,
)
from playground.chat.selectors import shown_branch, shown_branch_streaming
from playground.media.models import Attachment
from playground.runs.handoff import FinishedReply
from playground.runs.outcome import ReplyOutcome, reply_candidates
from playground.runs.text import title_from_prompt


def conversation_for_send(
    *,
    user: AbstractBaseUser,
    conversation: Conversation | None,
    prompt: str,
    settings: dict[str, Any],
) -> Conversation:
    """The user's `conversation` with these settings (a new one, titled from the prompt, when
    None is given)."""
    if conversation is None:
        return Conversation.objects.create(
            user=user, title=title_from_prompt(prompt), settings=settings
        )
    conversation.settings = settings
    conversation.save(update_fields=["settings", "updated_at"])
    return conversation


class After(Enum):
    """Where a turn goes when no parent is named."""

    SHOWN_BRANCH = "after the last turn of the shown branch"


Parent = Turn | None | After


def _turn_add(
    *, conversation: Conversation, parent: Parent, first_child: bool = False, **fields: Any
) -> Turn:
    """A turn after `parent` (None: a first message), chosen over the siblings it joins, so an
    edit's or a regeneration's earlier versions stay one click away. `first_child`: the caller
    knows `parent` has no children yet (nothing to step aside)."""
    if parent is After.SHOWN_BRANCH:
        shown = shown_branch(conversation)
        parent_id = shown[-1][0] if shown else None
    else:
        parent_id = parent.pk if parent is not None else None
    if not first_child:
        conversation.turns.filter(parent_id=parent_id, is_chosen=True).update(is_chosen=False)
    return Turn.objects.create(
        conversation=conversation, parent_id=parent_id, is_chosen=True, **fields
    )


def turn_user_append(
    *,
    conversation: Conversation,
    prompt: str,
    parent: Parent = After.SHOWN_BRANCH,
    attachments: Sequence[Attachment] = (),
    first_child: bool = False,
) -> Turn:
    turn = _turn_add(
        conversation=conversation, parent=parent, first_child=first_child,
        role=Turn.Role.USER, content=prompt,
    )  # fmt: skip
    TurnAttachment.objects.bulk_create(
        TurnAttachment(turn=turn, attachment=attachment, position=position)
        for position, attachment in enumerate(attachments)
    )
    turn.attached = list(attachments)  # rendered on the event loop next: nothing to read
    return turn


def turn_assistant_start(
    *,
    conversation: Conversation,
    run_spec: dict[str, Any],
    n: int,
    parent: Parent = After.SHOWN_BRANCH,
    first_child: bool = False,
) -> Turn:
    return _turn_add(
        conversation=conversation,
        parent=parent,
        first_child=first_child,
        role=Turn.Role.ASSISTANT,
        state=ReplyState.STREAMING,
        run_spec=run_spec,
        candidates=[{"answer": "", "thoughts": ""} for _ in range(n)],
    )


def turn_finish(*, turn_id: int, outcome: ReplyOutcome) -> Turn:
    """Store the final state once; a turn already final is left as it is."""
    with transaction.atomic():
        turn = Turn.objects.select_for_update().get(pk=turn_id)
        if turn.is_final:
            return turn
        response_format = (turn.run_spec or {}).get("response_format")
        outcome = outcome.checked()
        turn.candidates = reply_candidates(outcome, response_format)
        turn.content = outcome.answers[0] if outcome.answers else ""
        values = outcome.row_values()
        for name, value in values.items():
            setattr(turn, name, value)
        # Not the whole row: its run_spec holds the whole history it was sent with.
        turn.save(update_fields=["candidates", "content", *values])
        Conversation.objects.filter(pk=turn.conversation_id).update(updated_at=timezone.now())
        return turn  # a reply has no attachments: rendering it on the event loop reads nothing


def turn_tool_results_append(
    *,
    conversation: Conversation,
    results: Sequence[dict[str, Any]],
    parent: Parent = After.SHOWN_BRANCH,
) -> Turn:
    """The results given for the calls of the reply before it, as one tool turn."""
    return _turn_add(
        conversation=conversation,
        parent=parent,
        role=Turn.Role.TOOL,
        state=ReplyState.DONE,
        tool_results=list(results),
    )


class BranchLocked(Exception):
    """The shown branch is being answered: switching now would hide the reply being written."""


def turn_choose(*, turn: Turn) -> None:
    """Show `turn`'s branch instead of its siblings'. The branches below it keep the choices
    made in them, so switching back returns to where the person was."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=turn.conversation_id)
        if shown_branch_streaming(conversation):
            raise BranchLocked("A reply is still being generated. Stop it first, then switch.")
        siblings = conversation.turns.filter(parent_id=turn.parent_id)
        siblings.exclude(pk=turn.pk).update(is_chosen=False)
        siblings.filter(pk=turn.pk).update(is_chosen=True)


def conversation_rename(*, conversation: Conversation, title: str) -> None:
    conversation.title = title
    conversation.save(update_fields=["title"])


def conversation_delete(*, conversation: Conversation) -> None:
    conversation.delete()


@transaction.atomic
def conversation_from_reply(user: AbstractBaseUser, reply: FinishedReply) -> str:
    """A new conversation: the prompt and the reply as they were, continued with the reply's
    settings (a compare pane's "Send to chat"). Returns its address."""
    conversation = conversation_for_send(
        user=user, conversation=None, prompt=reply.prompt, settings=reply.settings.to_dict()
    )
    prompt = turn_user_append(
        conversation=conversation, parent=None, prompt=reply.prompt, attachments=reply.attachments
    )
    turn = turn_assistant_start(
        conversation=conversation, parent=prompt, run_spec=reply.run_spec, n=1
    )
    turn_finish(turn_id=turn.pk, outcome=reply.outcome)
    return reverse("chat:conversation", args=[conversation.pk])
