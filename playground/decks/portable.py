"""A deck as one JSON file (format 1), and back: steps, settings, recordings, attachments.

    {"format": "gemini-playground-deck", "version": 1, "title": ..., "mode": ...,
     "fallback_seconds": 20, "attachments": [{"name", "mime_type", "data": base64}],
     "steps": [{"kind", "prompt", "settings", "panes", "recording", "recorded_at",
                "recorded_model", "attachments": [index, ...]}]}

An import reads nothing it has not bounded (size, nesting, counts, lengths), checks every value
before it stores anything, stores in one transaction, and always makes a new deck: it never
overwrites. `DeckFileRefused` says in words what is wrong.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings as django_settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.dateparse import parse_datetime

from playground.decks.models import Deck, Step, StepAttachment
from playground.limits.json_depth import JsonRefused, json_loads_bounded
from playground.media.limits import UploadLimits, UploadRefused
from playground.media.models import Attachment
from playground.media.services import attachment_create
from playground.media.validation import CheckedUpload, upload_check
from playground.runs.replay import timeline_fragments
from playground.runs.settings import RunSettings
from playground.runs.timeline import KINDS

FORMAT = "gemini-playground-deck"
VERSION = 1
MAX_DEPTH = 16
MAX_STEPS = 200
MAX_PANES = 8
MAX_ATTACHMENTS = 50
MAX_FRAGMENTS = 20_000
MAX_PROMPT = 100_000
MAX_SETTINGS_CHARS = 200_000


class DeckFileRefused(ValueError):
    """A deck file that cannot be imported; the message says why, in words."""


def deck_export(deck: Deck) -> dict[str, Any]:
    steps = list(deck.steps.all())
    attachments: list[Attachment] = []
    index_of: dict[Any, int] = {}
    exported_steps = []
    for step in steps:
        indexes = []
        for attachment in step.attachments.order_by("stepattachment__position"):
            if attachment.pk not in index_of:
                index_of[attachment.pk] = len(attachments)
                attachments.append(attachment)
            indexes.append(index_of[attachment.pk])
        exported_steps.append({
            "kind": step.kind, "prompt": step.prompt, "settings": step.settings,
            "panes": step.panes, "recording": step.recording,
            "recorded_at": step.recorded_at.isoformat() if step.recorded_at else None,
            "recorded_model": step.recorded_model, "attachments": indexes,
        })  # fmt: skip
    return {
        "format": FORMAT, "version": VERSION, "title": deck.title, "mode": deck.mode,
        "fallback_seconds": deck.fallback_seconds,
        "attachments": [_attachment_export(a) for a in attachments],
        "steps": exported_steps,
    }  # fmt: skip


def _attachment_export(attachment: Attachment) -> dict[str, str]:
    with attachment.file.open("rb") as stored:
        data = base64.b64encode(stored.read()).decode("ascii")
    return {"name": attachment.original_name, "mime_type": attachment.mime_type, "data": data}


# Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedStep:
    values: dict[str, Any]
    attachments: list[int]


@dataclass(frozen=True)
class CheckedDeck:
    title: str
    mode: str
    fallback_seconds: int
    steps: list[CheckedStep]
    files: list[tuple[CheckedUpload, str]]


def _refuse(where: str, problem: str) -> DeckFileRefused:
    return DeckFileRefused(f"{where} {problem}")


def _typed[T](value: object, kind: type[T], where: str, what: str) -> T:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _refuse(where, f"must be {what}.")
    return value


def _text(value: object, where: str, *, limit: int, blank: bool = True) -> str:
    text = _typed(value, str, where, "text")
    if len(text) > limit:
        raise _refuse(where, f"is {len(text):,} characters long; at most {limit:,} are accepted.")
    if not blank and not text.strip():
        raise _refuse(where, "is empty.")
    return text


def _json_size(value: object, where: str) -> None:
    if len(json.dumps(value)) > MAX_SETTINGS_CHARS:
        raise _refuse(where, f"is larger than {MAX_SETTINGS_CHARS:,} characters.")


def _recording(value: object, where: str) -> dict[str, Any] | None:
    if value is None:
        return None
    recording = _typed(value, dict, where, "an object or null")
    fragments = _typed(recording.get("fragments"), list, f"{where} fragments", "a list")
    if len(fragments) > MAX_FRAGMENTS:
        raise _refuse(where, f"has {len(fragments):,} fragments; at most {MAX_FRAGMENTS:,}.")
    kept = timeline_fragments(recording)
    if len(kept) != len(fragments) or any(kind not in KINDS for kind, _, _ in kept):
        raise _refuse(where, "has a fragment that is not [kind, milliseconds, text].")
    end = recording.get("end_ms", 0)
    _typed(end, int, f"{where} end_ms", "a whole number")
    return {"v": 1, "fragments": [list(f) for f in kept], "end_ms": end,
            "truncated": bool(recording.get("truncated"))}  # fmt: skip


def _settings(value: object, where: str) -> dict[str, Any]:
    settings = _typed(value, dict, where, "an object")
    _json_size(settings, where)
    if "model" in settings:
        _text(settings["model"], f"{where} model", limit=200)
    try:  # what a live run will read, read once now
        RunSettings.from_dict(settings).to_spec([])
    except (TypeError, ValueError, KeyError, AttributeError):
        raise _refuse(where, "are not run settings this playground can send.") from None
    return settings


def _panes(value: object, where: str) -> list[dict[str, Any]]:
    panes = _typed(value, list, where, "a list")
    if len(panes) > MAX_PANES:
        raise _refuse(where, f"has {len(panes)} panes; a comparison has at most {MAX_PANES}.")
    checked = []
    for number, pane in enumerate(panes, 1):
        at = f"{where} pane {number}"
        pane = _typed(pane, dict, at, "an object")
        checked.append({
            "label": _text(pane.get("label", ""), f"{at} label", limit=200),
            "settings": _settings(pane.get("settings", {}), f"{at} settings"),
            "recording": _recording(pane.get("recording"), f"{at} recording"),
        })  # fmt: skip
    return checked


def _recorded_at(value: object, where: str) -> datetime | None:
    if value is None:
        return None
    moment = parse_datetime(_text(value, where, limit=64))
    if moment is None:
        raise _refuse(where, "is not a date and time (ISO 8601).")
    return moment


def _step(value: object, number: int, attachment_count: int) -> CheckedStep:
    where = f"Step {number}"
    step = _typed(value, dict, where, "an object")
    kind = step.get("kind")
    if kind not in Step.Kind.values:
        raise _refuse(f"{where} kind", 'must be "chat" or "compare".')
    indexes = _typed(step.get("attachments", []), list, f"{where} attachments", "a list")
    for index in indexes:
        if type(index) is not int or not 0 <= index < attachment_count:
            raise _refuse(f"{where} attachments", "name a file the deck does not have.")
    panes = _panes(step.get("panes", []), f"{where} panes")
    if kind == Step.Kind.COMPARE and not panes:
        raise _refuse(where, "is a comparison without panes.")
    values = {
        "kind": kind,
        "prompt": _text(step.get("prompt"), f"{where} prompt", limit=MAX_PROMPT, blank=False),
        "settings": _settings(step.get("settings", {}), f"{where} settings"),
        "panes": panes,
        "recording": _recording(step.get("recording"), f"{where} recording"),
        "recorded_at": _recorded_at(step.get("recorded_at"), f"{where} recorded_at"),
        "recorded_model": _text(step.get("recorded_model", ""), f"{where} recorded_model",
                                limit=200),
    }  # fmt: skip
    return CheckedStep(values, list(dict.fromkeys(indexes)))


def _file(value: object, number: int) -> tuple[CheckedUpload, str]:
    where = f"Attached file {number}"
    item = _typed(value, dict, where, "an object")
    name = _text(item.get("name", f"file{number}"), f"{where} name", limit=255) or f"file{number}"
    data = _text(item.get("data"), f"{where} data", limit=django_settings.DECKS_IMPORT_MAX_BYTES)
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise _refuse(where, "is not base64.") from None
    upload = SimpleUploadedFile(name, raw, content_type=str(item.get("mime_type") or ""))
    try:
        return upload_check(upload, limits=UploadLimits.from_settings()), name
    except UploadRefused as exc:
        raise _refuse(where, f"cannot be used: {exc}") from None


def deck_file_check(raw: bytes) -> CheckedDeck:
    """Everything in a deck file, checked; DeckFileRefused at the first problem."""
    limit = django_settings.DECKS_IMPORT_MAX_BYTES
    if len(raw) > limit:
        raise DeckFileRefused(f"This file is {len(raw):,} bytes; a deck file may be {limit:,}.")
    try:
        data = json_loads_bounded(raw, max_depth=MAX_DEPTH, max_chars=limit)
    except JsonRefused as exc:
        raise DeckFileRefused(f"This is not a deck file: {exc}") from None
    except ValueError:
        raise DeckFileRefused("This is not a deck file: it is not valid JSON (UTF-8).") from None
    data = _typed(data, dict, "The file", "a JSON object")
    if data.get("format") != FORMAT:
        raise DeckFileRefused("This is not a deck file exported by Gemini Playground.")
    if data.get("version") != VERSION:
        raise DeckFileRefused(
            f"This deck file is version {str(data.get('version'))[:20]}; this playground "
            f"reads version {VERSION}."
        )
    files = _typed(data.get("attachments", []), list, "Attachments", "a list")
    steps = _typed(data.get("steps"), list, "Steps", "a list")
    if not steps:
        raise DeckFileRefused("This deck has no steps.")
    counts = (("steps", steps, MAX_STEPS), ("attached files", files, MAX_ATTACHMENTS))
    for name, items, most in counts:
        if len(items) > most:
            raise DeckFileRefused(f"This deck has {len(items):,} {name}; at most {most} allowed.")
    mode = data.get("mode", Deck.Mode.FALLBACK)
    if mode not in Deck.Mode.values:
        raise _refuse("Mode", "must be live, replay or fallback.")
    seconds = _typed(data.get("fallback_seconds", 20), int, "fallback_seconds", "a whole number")
    if not 1 <= seconds <= 600:
        raise _refuse("fallback_seconds", "must be between 1 and 600.")
    return CheckedDeck(
        title=_text(data.get("title"), "Title", limit=200, blank=False).strip(),
        mode=mode,
        fallback_seconds=seconds,
        steps=[_step(step, number, len(files)) for number, step in enumerate(steps, 1)],
        files=[_file(item, number) for number, item in enumerate(files, 1)],
    )


def deck_import(*, owner: AbstractBaseUser, raw: bytes) -> Deck:
    """A new deck from a deck file, or DeckFileRefused with nothing stored."""
    checked = deck_file_check(raw)
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            deck = Deck.objects.create(owner=owner, title=checked.title, mode=checked.mode,
                                       fallback_seconds=checked.fallback_seconds)  # fmt: skip
            for upload, name in checked.files:
                stored.append(attachment_create(owner=owner, checked=upload, original_name=name))
            for position, step in enumerate(checked.steps):
                row = Step.objects.create(deck=deck, position=position, **step.values)
                StepAttachment.objects.bulk_create(
                    StepAttachment(step=row, attachment=stored[index], position=order)
                    for order, index in enumerate(step.attachments)
                )
    except BaseException:
        _remove_files(stored)
        raise
    return deck


def _remove_files(attachments: list[Attachment]) -> None:
    remove: list[Callable[[], None]] = []
    for attachment in attachments:
        for field in (attachment.file, attachment.thumbnail):
            if field:
                remove.append(lambda name=field.name, storage=field.storage: storage.delete(name))
    for each in remove:
        each()
