from __future__ import annotations

from django.conf import settings
from django.db import models

from playground.accounts.models import UserHistory
from playground.media.models import AttachedInOrder
from playground.runs.models import StoredReply
from playground.runs.reply import Reply, reply_of
from playground.runs.states import ReplyState


class Comparison(UserHistory):
    """One prompt sent to up to eight differently-set panes at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comparisons"
    )
    title = models.CharField(max_length=200, blank=True)
    prompt = models.TextField()
    system_prompt = models.TextField(blank=True)
    # From sending the panes until the last one ended; null while any pane still runs.
    wall_ms = models.PositiveIntegerField(null=True, blank=True)
    # Images and recordings sent with the prompt to every pane; stored specs name them by id.
    attachments = models.ManyToManyField(
        "media.Attachment", through="ComparisonAttachment", related_name="comparisons", blank=True
    )

    def __str__(self) -> str:
        return self.title or f"Comparison {self.pk}"


class Pane(StoredReply):
    """One run of one pane of a comparison: its settings, what came back, and when.

    A pane run several times ("Runs per pane") is stored as one row per run, sharing the
    pane's `position`; `run` counts them from 0.
    """

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="panes")
    position = models.PositiveSmallIntegerField()
    run = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)
    # The pane's settings as the form cleaned them, so "run again" starts from the same place.
    settings = models.JSONField(default=dict)
    run_spec = models.JSONField(default=dict)
    state = models.CharField(
        max_length=16, choices=ReplyState.choices, default=ReplyState.STREAMING
    )
    answer = models.TextField(blank=True)
    thoughts = models.TextField(blank=True)
    answer_html = models.TextField(blank=True)
    thoughts_html = models.TextField(blank=True)
    finish_reason = models.CharField(max_length=200, blank=True)
    # The reply's own extra_content (Gemini 3's thought signature), echoed if sent to chat.
    extra_content = models.JSONField(null=True, blank=True)
    # The function calls the reply asked for (wire shape); shown, answered only in chat.
    tool_calls = models.JSONField(default=list, blank=True)
    # Besides `StoredReply`'s first token and end, milliseconds from this pane's request to the
    # first thought and the first answer token (after thinking); `offset_ms` is when the pane
    # started after the run.
    first_thought_ms = models.PositiveIntegerField(null=True, blank=True)
    first_answer_ms = models.PositiveIntegerField(null=True, blank=True)
    offset_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "run"]
        # The few panes still streaming (admission counts them before every run, the heartbeat
        # sweep reads them): without it both read every pane a person ever ran.
        indexes = [
            models.Index(
                fields=["state"],
                condition=models.Q(state=ReplyState.STREAMING),
                name="compare_pane_streaming",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "position", "run"], name="pane_position_run_unique"
            )
        ]

    def __str__(self) -> str:
        return f"pane {self.position + 1} run {self.run + 1} of {self.comparison_id} ({self.state})"

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def run_number(self) -> int:
        return self.run + 1

    @property
    def reply(self) -> Reply:
        candidate = {
            "answer": self.answer,
            "thoughts": self.thoughts,
            "html": self.answer_html,
            "thoughts_html": self.thoughts_html,
            "finish_reason": self.finish_reason or None,
            "extra_content": self.extra_content,
        }
        if self.tool_calls:
            candidate["tool_calls"] = self.tool_calls
        model = (self.run_spec or {}).get("model") or ""
        return reply_of(
            self, kind="p", candidates=[candidate], model=model,
            first_answer_ms=self.first_answer_ms,
        )  # fmt: skip


class ComparisonAttachment(AttachedInOrder):
    """An image or recording sent with a comparison's prompt; kept while the comparison is."""

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE)

    class Meta(AttachedInOrder.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "attachment"], name="comparison_attachment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attachment_id} on comparison {self.comparison_id}"
