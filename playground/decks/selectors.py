"""Reads for decks: a person's decks and steps, and what a share token opens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from playground.decks.models import Deck, Step


def decks_of(user: AbstractBaseUser) -> QuerySet[Deck]:
    return Deck.objects.filter(owner=user).annotate(step_count=Count("steps"))


def deck_of(user: AbstractBaseUser, deck_id: int) -> Deck | None:
    return Deck.objects.filter(pk=deck_id, owner=user).first()


def step_of(user: AbstractBaseUser, deck_id: int, step_id: int) -> Step | None:
    return Step.objects.filter(pk=step_id, deck_id=deck_id, deck__owner=user).first()


def deck_by_token(token: str) -> Deck | None:
    """The deck shared with this token; unknown and revoked tokens alike give None."""
    if not token or len(token) > 64:
        return None
    return Deck.objects.filter(share_token=token).first()


def steps_of(deck: Deck) -> list[Step]:
    return list(deck.steps.prefetch_related("attachments"))
