"""Reads for share links: what a token opens, and an owner's links."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from playground.chat.models import Conversation
from playground.compare.models import Comparison
from playground.sharing.models import ShareLink

Target = Conversation | Comparison


def share_link_by_token(token: str) -> ShareLink | None:
    """The active link with this token; revoked and unknown tokens alike give None."""
    if not token or len(token) > 64:
        return None
    return (
        ShareLink.objects.select_related("conversation", "comparison")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )


def active_share_link(target: Target) -> ShareLink | None:
    field = "conversation" if isinstance(target, Conversation) else "comparison"
    return ShareLink.objects.filter(**{field: target}, revoked_at__isnull=True).first()


def share_target_of(
    user: AbstractBaseUser, *, kind: str, target_id: int
) -> Conversation | Comparison | None:
    """The user's own conversation or comparison; None for anyone else's or a missing one."""
    model = {"conversation": Conversation, "comparison": Comparison}.get(kind)
    if model is None:
        return None
    return model.objects.filter(pk=target_id, user=user).first()


def share_link_of(user: AbstractBaseUser, link_id: int) -> ShareLink | None:
    return ShareLink.objects.filter(pk=link_id, owner=user).first()
