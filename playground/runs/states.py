"""The states of one reply (a chat turn or a compare pane): exactly one final state, always."""

from __future__ import annotations

from django.db import models


class ReplyState(models.TextChoices):
    STREAMING = "streaming", "Generating"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Stopped"
    ERROR = "error", "Error"
    TIMEOUT = "timeout", "Timed out"
    INTERRUPTED = "interrupted", "Interrupted"


FINAL_STATES = frozenset(set(ReplyState) - {ReplyState.STREAMING})
