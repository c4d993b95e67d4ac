from __future__ import annotations

from django.conf import settings
from django.db import models

from playground.media.models import AttachedInOrder


class Deck(models.Model):
    """A prepared demo: an ordered list of steps, presented one per screen."""

    class Mode(models.TextChoices):
        LIVE = "live", "Live"
        REPLAY = "replay", "Replay the recordings"
        FALLBACK = "fallback", "Live, falling back to the recording"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="decks"
    )
    title = models.CharField(max_length=200)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.FALLBACK)
    # Live with fallback: a step that has not finished after this long is replayed instead.
    fallback_seconds = models.PositiveSmallIntegerField(default=20)
    # A read-only link (replays only); None: not shared. A new share makes a new token.
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    """One screen of a deck: a chat prompt or a comparison, with what it recorded."""

    class Kind(models.TextChoices):
        CHAT = "chat", "Chat"
        COMPARE = "compare", "Comparison"

    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    prompt = models.TextField()
    # Chat: the run settings (`RunSettings.to_dict`). Compare: the shared system prompt.
    settings = models.JSONField(default=dict, blank=True)
    # Compare: one dict per pane, {"label", "settings", "recording"}.
    panes = models.JSONField(default=list, blank=True)
    # Chat: the reply's timeline (`runs.timeline`), copied from the source turn.
    recording = models.JSONField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_model = models.CharField(max_length=200, blank=True)
    attachments = models.ManyToManyField(
        "media.Attachment", through="StepAttachment", related_name="deck_steps", blank=True
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} step {self.position + 1} of deck {self.deck_id}"

    @property
    def number(self) -> int:
        return self.position + 1


class StepAttachment(AttachedInOrder):
    """An image or recording sent with a step's prompt; kept while the step is."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE)

    class Meta(AttachedInOrder.Meta):
        constraints = [
            models.UniqueConstraint(fields=["step", "attachment"], name="step_attachment_once")
        ]

    def __str__(self) -> str:
        return f"{self.attachment_id} on step {self.step_id}"
