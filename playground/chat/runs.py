"""Turning a validated composer into a stored turn pair and the RunSpec that will be sent."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from playground.chat.forms import STALE_CALLS, STALE_REPLY
from playground.chat.models import Conversation, Turn
from playground.chat.selectors import (
    conversation_of,
    history_for_run,
    history_of,
    last_shown_turn,
    shown_branch,
    shown_branch_streaming,
    shown_turns,
    tool_calls_awaiting,
)
from playground.chat.services import (
    After,
    Parent,
    conversation_for_send,
    turn_assistant_start,
    turn_tool_results_append,
    turn_user_append,
)
from playground.limits.admission import (
    StreamRefused,
    requests_give_back,
    streams_admit,
    streams_admit_ahead,
)
from playground.llm import Message, RunSpec
from playground.runs.attachments import has_attachment_refs, user_content
from playground.runs.settings import RunSettings
from playground.runs.states import ReplyState


class RunRefused(Exception):
    """A request that cannot start a run; the message is shown to the user."""


MISSING = "That conversation does not exist (it may have been deleted)."
BRANCH_MOVED = (
    "This conversation changed in another tab while your message was being sent; nothing was "
    "sent. Send it again."
)


@dataclass(frozen=True)
class SendAhead:
    """A send's request, read and admitted before anything is stored, so that it can leave
    while the turns are written (`run_prepare_send(ahead=...)` stores exactly this spec).

    The spec is the shown branch's history, as `history_for_run` reads it once the new user
    turn is on it, and that turn's message. `after_turn_id` is the branch's last turn when it
    was read: if another tab moved the branch before the turns are written, the send is
    refused (and its request closed) rather than stored after a history it did not send.
    """

    spec: RunSpec
    after_turn_id: int | None
    user_id: int

    @property
    def can_leave_early(self) -> bool:
        """Attachments are read from storage when the run starts: such a send goes out after
        its turns are stored, as every other action does."""
        return not has_attachment_refs(self.spec)

    def refused(self) -> None:
        """The send did not start after all: its request no longer counts against the minute."""
        requests_give_back(user_id=self.user_id, count=1)


@dataclass(frozen=True)
class PreparedRun:
    conversation: Conversation
    user_turn: Turn | None
    assistant_turn: Turn
    spec: RunSpec
    created_conversation: bool
    # The reply that was last before this run: shown again without Regenerate or Continue.
    previous_reply: Turn | None = None
    # The person's first conversation: the page's "No conversations yet." goes.
    first_conversation: bool = False
    # The reply is its prompt's only version (a send): its place among versions is known.
    reply_alone: bool = False


def _start(
    conversation: Conversation,
    settings: RunSettings,
    user_turn: Turn | None,
    created: bool,
    parent: Parent = After.SHOWN_BRANCH,
    spec: RunSpec | None = None,
    first_child: bool = False,
    requests_taken: bool = False,
) -> PreparedRun:
    """The assistant turn, admitted; `spec` is read here from the stored branch unless given
    (`requests_taken`: admitted ahead, by `run_send_ahead`)."""
    if spec is None:
        spec = settings.to_spec(history_for_run(conversation))
    assistant = turn_assistant_start(
        conversation=conversation, run_spec=spec.to_dict(), n=spec.n, parent=parent,
        first_child=first_child,
    )  # fmt: skip
    try:  # per-person limits; a refusal rolls back everything this run stored
        streams_admit(user_id=conversation.user_id, kind="turn", ids=[assistant.pk],
                      max_tokens=spec.max_tokens, requests_taken=requests_taken)  # fmt: skip
    except StreamRefused as exc:
        raise RunRefused(str(exc)) from None
    # The socket renders these turns on the event loop, where no query may run: the user
    # turn knows its attachments (`Turn.attached`), and a reply has none.
    return PreparedRun(conversation, user_turn, assistant, spec, created)


BUSY = "A reply is still being generated in this conversation. Stop it first."


def _busy_check(conversation: Conversation) -> None:
    if shown_branch_streaming(conversation):
        raise RunRefused(BUSY)


def run_send_ahead(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: RunSettings
) -> SendAhead:
    """What a send will ask, and whether it may: read only, except that an admitted request
    counts against the person's minute (given back by `SendAhead.refused`)."""
    conversation_id = cleaned.get("conversation")
    shown = [] if conversation_id is None else _shown_ahead(user, conversation_id)
    prompt = Message("user", user_content(cleaned["prompt"], cleaned.get("attachments") or []))
    spec = settings.to_spec([*history_of(shown), prompt])
    return _admitted_ahead(user, spec, after=shown[-1] if shown else None)


def run_regenerate_ahead(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: RunSettings
) -> SendAhead:
    """What a regeneration will ask, and whether it may (as `run_send_ahead`): the history its
    old reply answered, which must still be the branch's last turn and the one clicked."""
    shown = _shown_ahead(user, cleaned["conversation"])
    last = shown[-1] if shown else None
    if last is None or last.pk != cleaned["turn"] or last.role != Turn.Role.ASSISTANT:
        raise RunRefused(STALE_REPLY)  # only the last reply, never one not clicked
    return _admitted_ahead(user, settings.to_spec(history_of(shown[:-1])), after=last)


def _shown_ahead(user: AbstractBaseUser, conversation_id: int) -> list[Turn]:
    """The shown branch of the person's conversation, read once (busy, last turn, history)."""
    conversation = conversation_of(user, conversation_id)
    if conversation is None:
        raise RunRefused(MISSING)
    shown = shown_turns(conversation, for_history=True)
    if any(turn.state == ReplyState.STREAMING for turn in shown):
        raise RunRefused(BUSY)
    return shown


def _admitted_ahead(user: AbstractBaseUser, spec: RunSpec, *, after: Turn | None) -> SendAhead:
    try:
        streams_admit_ahead(user_id=user.pk, count=1, max_tokens=spec.max_tokens)
    except StreamRefused as exc:
        raise RunRefused(str(exc)) from None
    return SendAhead(spec=spec, after_turn_id=after.pk if after else None, user_id=user.pk)


@transaction.atomic
def run_prepare_send(
    *,
    user: AbstractBaseUser,
    cleaned: dict[str, Any],
    settings: RunSettings,
    ahead: SendAhead | None = None,
) -> PreparedRun:
    """Store a send's turns. With `ahead`, its request was read (and may have left) before:
    the turns store that spec, and a branch moved meanwhile refuses the send."""
    conversation_id = cleaned.get("conversation")
    existing = None
    if conversation_id is not None:
        existing = conversation_of(user, conversation_id)
        if existing is None:
            raise RunRefused(MISSING)
    conversation = conversation_for_send(
        user=user, conversation=existing, prompt=cleaned["prompt"], settings=settings.to_dict()
    )
    previous = None
    if existing is not None:  # a new conversation has no turns to look at
        shown = shown_branch(conversation)  # read once: busy, then the last turn
        if shown_branch_streaming(conversation, shown):
            raise RunRefused(BUSY)
        previous = last_shown_turn(conversation, shown)
    if ahead is not None and ahead.after_turn_id != (previous.pk if previous else None):
        raise RunRefused(BRANCH_MOVED)
    # The last shown turn has no children (the branch would go on through them): the new
    # turns have no siblings to step aside for.
    user_turn = turn_user_append(
        conversation=conversation,
        parent=previous,
        prompt=cleaned["prompt"],
        attachments=cleaned.get("attachments") or [],
        first_child=True,
    )
    prepared = _start(
        conversation, settings, user_turn, created=existing is None, parent=user_turn,
        spec=ahead.spec if ahead else None, first_child=True, requests_taken=ahead is not None,
    )  # fmt: skip
    prepared = replace(prepared, reply_alone=True)
    if prepared.created_conversation:
        others = Conversation.objects.filter(user=user).exclude(pk=conversation.pk)
        prepared = replace(prepared, first_conversation=not others.exists())
    if previous is not None and previous.role == Turn.Role.ASSISTANT:
        prepared = replace(prepared, previous_reply=previous)
    return prepared


@transaction.atomic
def run_prepare_regenerate(
    *,
    user: AbstractBaseUser,
    cleaned: dict[str, Any],
    settings: RunSettings,
    ahead: SendAhead | None = None,
) -> PreparedRun:
    """Store a regeneration's reply. With `ahead`, its request was read (and may have left)
    before: the clicked reply, checked again here, is still the branch's last, so the history
    read then is the branch's now."""
    conversation = conversation_of(user, cleaned["conversation"])
    if conversation is None:
        raise RunRefused(MISSING)
    _busy_check(conversation)
    last = last_shown_turn(conversation)
    if last is None or last.pk != cleaned["turn"] or last.role != Turn.Role.ASSISTANT:
        # Only the last reply can be regenerated: never one the person did not click.
        raise RunRefused(STALE_REPLY)
    conversation.settings = settings.to_dict()
    conversation.save(update_fields=["settings", "updated_at"])
    if ahead is None:
        # The new reply answers what the old one answered: the history ends before it (the
        # old reply, still shown until the new one is stored, is not sent).
        spec = settings.to_spec(history_of(shown_turns(conversation, for_history=True)[:-1]))
    # The new reply is a sibling of the old one, which stays a click away ("1 / 2").
    return _start(
        conversation, settings, None, created=False, parent=last.parent,
        spec=ahead.spec if ahead else spec, requests_taken=ahead is not None,
    )  # fmt: skip


@transaction.atomic
def run_prepare_edit(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: RunSettings
) -> PreparedRun:
    conversation = conversation_of(user, cleaned["conversation"])
    if conversation is None:
        raise RunRefused(MISSING)
    _busy_check(conversation)
    shown = [pk for pk, _ in shown_branch(conversation)]
    turn = conversation.turns.filter(pk=cleaned["turn"], role=Turn.Role.USER).first()
    if turn is None or turn.pk not in shown:
        raise RunRefused("That message can no longer be edited (it is not on the branch shown).")
    conversation.settings = settings.to_dict()
    conversation.save(update_fields=["settings", "updated_at"])
    # A new version beside the original (whose branch stays, "1 / 2"), keeping the pictures
    # and recordings the original had.
    user_turn = turn_user_append(
        conversation=conversation,
        parent=turn.parent,
        prompt=cleaned["prompt"],
        attachments=turn.attached,
    )
    return _start(conversation, settings, user_turn, created=False, parent=user_turn)


@transaction.atomic
def run_prepare_tool_results(
    *, user: AbstractBaseUser, cleaned: dict[str, Any], settings: RunSettings
) -> PreparedRun:
    """Store what the tools returned, then run the next step of the tool loop."""
    conversation = conversation_of(user, cleaned["conversation"])
    if conversation is None:
        raise RunRefused(MISSING)
    # Locked: two tabs answering the same calls must not both go on.
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _busy_check(conversation)
    calls = tool_calls_awaiting(conversation=conversation, turn_id=cleaned["turn"]) or []
    results = cleaned["tool_results"]
    if [call["id"] for call in calls] != [result["call_id"] for result in results]:
        raise RunRefused(STALE_CALLS)
    turn_tool_results_append(conversation=conversation, results=results)
    conversation.settings = settings.to_dict()
    conversation.save(update_fields=["settings", "updated_at"])
    return _start(conversation, settings, None, created=False)
