"""Writes for decks: steps copied from a conversation or a comparison, order, edits, sharing."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Max

from playground.chat.models import Conversation, Turn
from playground.chat.selectors import shown_turns
from playground.compare.models import Comparison
from playground.compare.selectors import comparison_attachments, panes_of
from playground.decks.models import Deck, Step, StepAttachment
from playground.llm import RunSpec
from playground.media.models import Attachment
from playground.runs.settings import RunSettings

TOKEN_BYTES = 24


class NothingToAdd(Exception):
    """The source has no prompt a step could take; the message says why."""


def deck_create(*, owner: AbstractBaseUser, title: str, **values: Any) -> Deck:
    return Deck.objects.create(owner=owner, title=title, **values)


def _next_position(deck: Deck) -> int:
    last = deck.steps.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _attach(step: Step, attachments: list[Attachment]) -> None:
    StepAttachment.objects.bulk_create(
        StepAttachment(step=step, attachment=attachment, position=position)
        for position, attachment in enumerate(attachments)
    )


def _settings_of(run_spec: dict[str, Any] | None) -> dict[str, Any]:
    if not run_spec:
        return {}
    return RunSettings.from_spec(RunSpec.from_dict(run_spec)).to_dict()


@transaction.atomic
def step_add_from_conversation(*, deck: Deck, conversation: Conversation) -> Step:
    """The shown branch's last prompt, with the settings and the timeline of its reply."""
    turns = shown_turns(conversation)
    prompts = [i for i, turn in enumerate(turns) if turn.role == Turn.Role.USER]
    if not prompts:
        raise NothingToAdd("This conversation has no prompt to add yet.")
    prompt = turns[prompts[-1]]
    reply = next((t for t in turns[prompts[-1] + 1 :] if t.role == Turn.Role.ASSISTANT), None)
    run_spec = reply.run_spec if reply is not None else None
    step = Step.objects.create(
        deck=deck,
        position=_next_position(deck),
        kind=Step.Kind.CHAT,
        prompt=prompt.content,
        settings=_settings_of(run_spec) or dict(conversation.settings or {}),
        recording=reply.timeline if reply is not None else None,
        recorded_at=reply.created_at if reply is not None and reply.timeline else None,
        recorded_model=(run_spec or {}).get("model") or "",
    )
    _attach(step, prompt.attached)
    deck.save(update_fields=["updated_at"])
    return step


@transaction.atomic
def step_add_from_comparison(*, deck: Deck, comparison: Comparison) -> Step:
    """The comparison's prompt and panes (their first runs), each with its timeline."""
    panes = [pane for pane in panes_of(comparison) if pane.run == 0]
    if not panes:
        raise NothingToAdd("This comparison has no panes to add.")
    models = sorted({(p.run_spec or {}).get("model") or "" for p in panes} - {""})
    step = Step.objects.create(
        deck=deck,
        position=_next_position(deck),
        kind=Step.Kind.COMPARE,
        prompt=comparison.prompt,
        settings={"system_prompt": comparison.system_prompt},
        panes=[
            {
                "label": p.label,
                "settings": _settings_of(p.run_spec) or dict(p.settings),
                "recording": p.timeline,
            }
            for p in panes
        ],
        recorded_at=comparison.created_at if any(p.timeline for p in panes) else None,
        recorded_model=", ".join(models),
    )
    _attach(step, comparison_attachments(comparison))
    deck.save(update_fields=["updated_at"])
    return step


@transaction.atomic
def step_move(*, step: Step, by: int) -> None:
    """One place up (`by=-1`) or down (`by=1`); positions are renumbered 0..n-1."""
    steps = list(Step.objects.select_for_update().filter(deck_id=step.deck_id))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index + by
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
    for position, each in enumerate(steps):
        if each.position != position:
            Step.objects.filter(pk=each.pk).update(position=position)


def step_update_prompt(*, step: Step, prompt: str) -> Step:
    step.prompt = prompt
    step.save(update_fields=["prompt"])
    return step


@transaction.atomic
def step_delete(*, step: Step) -> None:
    Step.objects.filter(deck_id=step.deck_id, position__gt=step.position).update(
        position=F("position") - 1
    )
    step.delete()


def deck_update(*, deck: Deck, **values: Any) -> Deck:
    for name, value in values.items():
        setattr(deck, name, value)
    deck.save()
    return deck


def deck_share(*, deck: Deck) -> Deck:
    if deck.share_token is None:
        deck.share_token = secrets.token_urlsafe(TOKEN_BYTES)
        deck.save(update_fields=["share_token"])
    return deck


def deck_unshare(*, deck: Deck) -> Deck:
    deck.share_token = None
    deck.save(update_fields=["share_token"])
    return deck
