"""Handing a finished reply from one page to another ("Send to chat" on a compare pane).

The page that receives registers itself here (from its AppConfig.ready()), so the page that
sends needs no import of it: feature apps depend on the run engine, never on each other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from playground.media.models import Attachment
from playground.runs.outcome import ReplyOutcome
from playground.runs.settings import RunSettings


@dataclass(frozen=True)
class FinishedReply:
    """A prompt and the reply it got, with the settings and the request that made it."""

    prompt: str
    attachments: Sequence[Attachment]
    settings: RunSettings
    run_spec: dict[str, Any]
    outcome: ReplyOutcome


# Stores the reply in the receiving page and returns the address that shows it.
Receiver = Callable[[AbstractBaseUser, FinishedReply], str]
_receivers: dict[str, Receiver] = {}


def reply_receiver_register(name: str, receiver: Receiver) -> None:
    _receivers[name] = receiver


def reply_hand_over(*, to: str, user: AbstractBaseUser, reply: FinishedReply) -> str:
    try:
        receiver = _receivers[to]
    except KeyError:
        raise LookupError(f"No page takes replies as {to!r}; is its app installed?") from None
    return receiver(user, reply)
