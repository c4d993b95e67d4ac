"""Writes: storing a checked upload, deleting one, and turning one into an API content part."""

from __future__ import annotations

import base64
import hashlib
from pathlib import PurePath
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction

from playground.media.image_check import CheckedImage
from playground.media.models import EXTENSIONS, Attachment
from playground.media.validation import CheckedUpload

NOTES_LENGTH = Attachment._meta.get_field("notes").max_length
NAME_LENGTH = Attachment._meta.get_field("original_name").max_length


def _display_name(original_name: str) -> str:
    name = "".join(char for char in PurePath(original_name).name if char.isprintable())
    return name[-NAME_LENGTH:]


def _unsaved(*, owner: AbstractBaseUser, checked: CheckedUpload, name: str) -> Attachment:
    attachment = Attachment(
        owner=owner,
        mime_type=checked.mime_type,
        byte_size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        original_name=_display_name(name),
    )
    if isinstance(checked, CheckedImage):
        attachment.kind = Attachment.Kind.IMAGE
        attachment.width, attachment.height = checked.width, checked.height
        attachment.notes = "; ".join(checked.notes)[:NOTES_LENGTH]
    else:
        attachment.kind = Attachment.Kind.AUDIO
        attachment.duration_seconds = checked.facts.duration_seconds
        channels = "mono" if checked.facts.channels == 1 else f"{checked.facts.channels} channels"
        attachment.notes = f"{checked.facts.sample_rate:,} Hz, {channels}"
    return attachment


def attachment_create(
    *, owner: AbstractBaseUser, checked: CheckedUpload, original_name: str
) -> Attachment:
    """Stores the checked bytes and their row together: on any failure neither is left behind."""
    attachment = _unsaved(owner=owner, checked=checked, name=original_name)
    storage = attachment.file.storage
    stored: list[str] = []
    try:
        with transaction.atomic():
            attachment.file.save(
                f"file{EXTENSIONS[checked.mime_type]}", ContentFile(checked.data), save=False
            )
            stored.append(attachment.file.name)
            if isinstance(checked, CheckedImage):
                attachment.thumbnail.save(
                    "thumbnail.webp", ContentFile(checked.thumbnail), save=False
                )
                stored.append(attachment.thumbnail.name)
            attachment.save(force_insert=True)
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise
    return attachment


def attachment_delete(*, attachment: Attachment) -> None:
    """Removes the row, then (once that is committed) its files."""
    storage = attachment.file.storage
    names = [stored.name for stored in (attachment.file, attachment.thumbnail) if stored]
    attachment.delete()

    def remove_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)


def attachment_as_content_part(attachment: Attachment) -> dict[str, Any]:
    """The chat message part the API expects for this attachment, data inline as base64."""
    with attachment.file.open("rb") as stored:
        encoded = base64.b64encode(stored.read()).decode("ascii")
    if attachment.kind == Attachment.Kind.IMAGE:
        url = f"data:{attachment.mime_type};base64,{encoded}"
        return {"type": "image_url", "image_url": {"url": url}}
    return {
        "type": "input_audio",
        "input_audio": {"data": encoded, "format": attachment.audio_format},
    }
