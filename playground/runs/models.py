"""What every stored reply keeps besides its text: a chat turn's and a compare pane's alike."""

from __future__ import annotations

from django.db import models

from playground.runs.states import FINAL_STATES


class StoredReply(models.Model):
    """A reply's error, token counts, timings and timeline: what `ReplyOutcome.row_values`
    writes once when the run ends and `reply_of` reads back for the rendered reply.

    The concrete model declares its own `state` (a `ReplyState`; the default differs: a chat
    turn is stored done unless it streams, a pane starts streaming).
    """

    state: str

    error = models.JSONField(null=True, blank=True)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    thinking_tokens = models.PositiveIntegerField(null=True, blank=True)
    # Milliseconds from the request: first token of any kind, end.
    ttft_ms = models.PositiveIntegerField(null=True, blank=True)
    total_ms = models.PositiveIntegerField(null=True, blank=True)
    # What arrived and when (`runs.timeline`), written once when the run ended.
    timeline = models.JSONField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES
