from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from playground.media.models import AttachedInOrder
from playground.runs.models import StoredReply
from playground.runs.reply import Reply, reply_of
from playground.runs.states import ReplyState

if TYPE_CHECKING:
    from playground.media.models import Attachment

# Read by limits and workers until they take their stream sources from a registry.
TurnState = ReplyState


class Conversation(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    title = models.CharField(max_length=200, blank=True)
    # The composer's last settings, so reopening a conversation continues where it left off.
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return self.title or f"Conversation {self.pk}"


class Turn(StoredReply):
    """One message of a conversation, in a tree: editing a message or regenerating a reply adds
    a sibling (same `parent`), so every version is kept and one branch is shown at a time.

    Assistant turns keep the reply's figures and timeline (`StoredReply`); user and tool turns
    leave them empty."""

    class Role(models.TextChoices):
        USER = "user", "User"
        ASSISTANT = "assistant", "Assistant"
        # The results a person gave for the calls of the assistant turn just before it.
        TOOL = "tool", "Tool results"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    role = models.CharField(max_length=16, choices=Role.choices)
    # User turns: the prompt. Assistant turns: the first candidate's answer (what history sends).
    content = models.TextField(blank=True)
    # Assistant turns, one dict per choice: answer, thoughts, finish_reason, html, extra_content,
    # tool_calls (wire-shaped, each call's extra_content as received), structured (checked JSON).
    candidates = models.JSONField(default=list, blank=True)
    # Tool turns, one dict per call answered: call_id, name, text (as typed), is_error, content
    # (what is sent as the tool message).
    tool_results = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=16, choices=ReplyState.choices, default=ReplyState.DONE)
    run_spec = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The turn this one follows on its branch (None: the conversation's first message).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    # Among turns with the same parent, the one the conversation shows (and sends upstream).
    is_chosen = models.BooleanField(default=True)
    attachments = models.ManyToManyField(
        "media.Attachment", through="TurnAttachment", related_name="turns", blank=True
    )

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["conversation", "id"], name="chat_turn_conversation_order"),
            # The few rows still streaming, which admission counts before every send and the
            # heartbeat sweep reads: without it both read every turn a person ever had.
            models.Index(
                fields=["state"],
                condition=models.Q(state=ReplyState.STREAMING),
                name="chat_turn_streaming",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} turn {self.pk} ({self.state})"

    @cached_property
    def attached(self) -> list[Attachment]:
        """A user turn's attachments in the order they were attached: read for many turns at
        once (`attachments_read`), or told by the code that just stored them, so that rendering
        the turn reads nothing."""
        return [link.attachment for link in self.turnattachment_set.select_related("attachment")]

    @property
    def reply(self) -> Reply:
        model = (self.run_spec or {}).get("model") or "Assistant"
        return reply_of(self, kind="t", candidates=self.candidates or [], model=model)


def attachments_read(turns: Iterable[Turn]) -> None:
    """Every user turn's `attached`, all in one statement; other turns have none. (A prefetch
    made a related manager per turn: ~3 ms of a 50-turn conversation's history.)"""
    turns = list(turns)
    asked = [turn.pk for turn in turns if turn.role == Turn.Role.USER]
    found: dict[int, list[Attachment]] = {}
    if asked:
        links = TurnAttachment.objects.filter(turn_id__in=asked).select_related("attachment")
        for link in links:  # in Meta.ordering: position, then pk
            found.setdefault(link.turn_id, []).append(link.attachment)
    for turn in turns:
        turn.attached = found.get(turn.pk, [])


class TurnAttachment(AttachedInOrder):
    """An image or recording sent with a user turn; kept while a conversation uses it."""

    turn = models.ForeignKey(Turn, on_delete=models.CASCADE)

    class Meta(AttachedInOrder.Meta):
        constraints = [
            models.UniqueConstraint(fields=["turn", "attachment"], name="turn_attachment_once")
        ]

    def __str__(self) -> str:
        return f"{self.attachment_id} on turn {self.turn_id}"
