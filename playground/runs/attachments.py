"""Attachments in runs (chat turns and compare panes).

A stored RunSpec names each attachment (`attachment:<uuid>`) instead of holding its base64
bytes, so a conversation with pictures does not copy them into every later turn. The bytes are
read back (`resolve_attachments`) just before a run is sent or exported; attachments used by a
conversation are protected from deletion, so a stored spec always resolves to what was sent.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from playground.llm import ContentPart, Message, RunSpec
from playground.media.models import Attachment
from playground.media.selectors import attachments_owned
from playground.media.services import attachment_as_content_part

REF = "attachment:"


class AttachmentMissing(Exception):
    """A stored run names an attachment that can no longer be read."""


def ref_part(attachment: Attachment) -> dict[str, Any]:
    if attachment.kind == Attachment.Kind.IMAGE:
        return {"type": "image_url", "image_url": {"url": f"{REF}{attachment.pk}"}}
    return {
        "type": "input_audio",
        "input_audio": {"data": f"{REF}{attachment.pk}", "format": attachment.audio_format},
    }


def user_content(text: str, attachments: list[Attachment]) -> str | list[dict[str, Any]]:
    """A user turn's content: plain text, or parts when something is attached."""
    if not attachments:
        return text
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text.strip() else []
    return parts + [ref_part(attachment) for attachment in attachments]


def _ref_of(part: ContentPart) -> str | None:
    value = part.url if part.type == "image_url" else part.data
    return value.removeprefix(REF) if value.startswith(REF) else None


def _refs(spec: RunSpec) -> list[str]:
    return [
        ref
        for message in spec.messages
        if not isinstance(message.content, str)
        for part in message.content
        if (ref := _ref_of(part))
    ]


def has_attachment_refs(spec: RunSpec) -> bool:
    """Whether the spec names stored files (so resolving it has to read the database)."""
    return bool(_refs(spec))


def resolve_attachments(spec: RunSpec, *, owner: AbstractBaseUser) -> RunSpec:
    """The same spec with every attachment reference replaced by its bytes."""
    refs = _refs(spec)
    if not refs:
        return spec
    found = {str(a.pk): a for a in attachments_owned(owner=owner, attachment_ids=refs)}
    missing = [ref for ref in refs if ref not in found]
    if missing:
        raise AttachmentMissing(f"An attached file is no longer available ({missing[0]}).")
    parts_by_ref = {
        ref: ContentPart.from_wire(attachment_as_content_part(a)) for ref, a in found.items()
    }
    return replace(spec, messages=tuple(_resolved(m, parts_by_ref) for m in spec.messages))


def _resolved(message: Message, parts_by_ref: dict[str, ContentPart]) -> Message:
    if isinstance(message.content, str):
        return message
    content = tuple(parts_by_ref.get(_ref_of(part) or "", part) for part in message.content)
    return replace(message, content=content)
