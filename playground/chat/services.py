"""Writes for conversations and turns. Plain functions; the consumer calls them off the loop."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from playground.chat.models import (
    Conversation,
    ReplyState,
    Turn,
    TurnAttachment,
    attachments_in_order,
)
from playground.media.models import Attachment
from playground.runs.handoff import FinishedReply
from playground.runs.outcome import ReplyOutcome, reply_candidates
from playground.runs.text import title_from_prompt


def conversation_for_send(
    *, user: AbstractBaseUser, conversation_id: int | None, prompt: str, settings: dict[str, Any]
) -> Conversation:
    """The user's conversation (a new one, titled from the prompt, when no id is given)."""
    if conversation_id is None:
        return Conversation.objects.create(
            user=user, title=title_from_prompt(prompt), settings=settings
        )
    conversation = Conversation.objects.get(pk=conversation_id, user=user)
    conversation.settings = settings
    conversation.save(update_fields=["settings", "updated_at"])
    return conversation


def turn_user_append(
    *, conversation: Conversation, prompt: str, attachments: Sequence[Attachment] = ()
) -> Turn:
    turn = Turn.objects.create(conversation=conversation, role=Turn.Role.USER, content=prompt)
    TurnAttachment.objects.bulk_create(
        TurnAttachment(turn=turn, attachment=attachment, position=position)
        for position, attachment in enumerate(attachments)
    )
    return turn


def turn_assistant_start(*, conversation: Conversation, run_spec: dict[str, Any], n: int) -> Turn:
    return Turn.objects.create(
        conversation=conversation,
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
        for name, value in outcome.row_values().items():
            setattr(turn, name, value)
        turn.save()
        Conversation.objects.filter(pk=turn.conversation_id).update(updated_at=timezone.now())
        prefetch_related_objects([turn], attachments_in_order())  # rendered on the event loop next
        return turn


def turn_tool_results_append(
    *, conversation: Conversation, results: Sequence[dict[str, Any]]
) -> Turn:
    """The results given for the calls of the reply before it, as one tool turn."""
    return Turn.objects.create(
        conversation=conversation,
        role=Turn.Role.TOOL,
        state=ReplyState.DONE,
        tool_results=list(results),
    )


def turns_replace_from(*, conversation: Conversation, first_turn_id: int) -> int:
    """Mark this turn and every later live turn as replaced, as one branch; returns the count."""
    live = conversation.turns.filter(replaced_at__isnull=True, pk__gte=first_turn_id)
    branch = (conversation.turns.aggregate(top=Max("branch"))["top"] or 0) + 1
    return live.update(replaced_at=timezone.now(), branch=branch)


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
        user=user, conversation_id=None, prompt=reply.prompt, settings=reply.settings.to_dict()
    )
    turn_user_append(conversation=conversation, prompt=reply.prompt, attachments=reply.attachments)
    turn = turn_assistant_start(conversation=conversation, run_spec=reply.run_spec, n=1)
    turn_finish(turn_id=turn.pk, outcome=reply.outcome)
    return reverse("chat:conversation", args=[conversation.pk])
