"""Writes for share links: create (or reuse) one per target, revoke."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from playground.chat.models import Conversation
from playground.compare.models import Comparison
from playground.sharing.models import ShareLink

Target = Conversation | Comparison


def _field(target: Target) -> str:
    return "conversation" if isinstance(target, Conversation) else "comparison"


@transaction.atomic
def share_link_create(*, user: AbstractBaseUser, target: Target) -> ShareLink:
    """The target's active link, made if there is none. The caller has checked ownership."""
    field = _field(target)
    existing = (
        ShareLink.objects.select_for_update()
        .filter(**{field: target}, owner=user, revoked_at__isnull=True)
        .first()
    )
    if existing is not None:
        return existing
    return ShareLink.objects.create(owner=user, **{field: target})


def share_link_revoke(*, link: ShareLink) -> ShareLink:
    """From now on the token answers 404; a new share makes a new token."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link
