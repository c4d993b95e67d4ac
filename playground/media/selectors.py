"""Reads: whose attachments are whose, and who may see one."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from playground.media.models import Attachment

# A share link's say on one attachment: True when the link includes it.
ShareGrant = Callable[[Attachment], bool]
LIST_LIMIT = 200


def _as_uuid(value: uuid.UUID | str) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def attachments_of(*, owner: AbstractBaseUser) -> QuerySet[Attachment]:
    return Attachment.objects.filter(owner=owner)


def attachment_of(*, owner: AbstractBaseUser, attachment_id: uuid.UUID | str) -> Attachment | None:
    pk = _as_uuid(attachment_id)
    if pk is None or not owner.is_authenticated:
        return None
    return Attachment.objects.filter(pk=pk, owner=owner).first()


def attachments_owned(
    *, owner: AbstractBaseUser, attachment_ids: Iterable[uuid.UUID | str]
) -> list[Attachment]:
    """The owner's attachments among these ids, in the order given; others' ids are left out.

    For a composer that sends ids: fewer results than ids means some were not the sender's.
    """
    wanted = [pk for value in attachment_ids if (pk := _as_uuid(value)) is not None]
    if not wanted or not owner.is_authenticated:
        return []
    found = {a.pk: a for a in Attachment.objects.filter(owner=owner, pk__in=wanted)}
    return [found[pk] for pk in wanted if pk in found]


def attachment_for_viewer(
    *,
    viewer: AbstractBaseUser | AnonymousUser,
    attachment_id: uuid.UUID | str,
    grant: ShareGrant | None = None,
) -> Attachment | None:
    """The attachment when `viewer` owns it, or when `grant` (a share link) includes it.

    Anyone else gets None, and the views answer 404, so an id reveals nothing. Sharing passes
    its own check as `grant` rather than this module knowing about share links.
    """
    pk = _as_uuid(attachment_id)
    if pk is None:
        return None
    attachment = Attachment.objects.filter(pk=pk).select_related(None).first()
    if attachment is None:
        return None
    if viewer.is_authenticated and attachment.owner_id == viewer.pk:
        return attachment
    if grant is not None and grant(attachment):
        return attachment
    return None
