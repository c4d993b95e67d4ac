from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from playground.chat.models import Conversation
from playground.compare.models import Comparison

TOKEN_BYTES = 24  # 32 url-safe characters: not guessable, short enough to paste


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class ShareLink(models.Model):
    """A read-only link to one conversation or one comparison; revoked links stay as a record."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.CASCADE, related_name="share_links"
    )
    comparison = models.ForeignKey(
        Comparison, null=True, blank=True, on_delete=models.CASCADE, related_name="share_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(conversation__isnull=False, comparison__isnull=True)
                    | models.Q(conversation__isnull=True, comparison__isnull=False)
                ),
                name="share_link_has_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"share link {self.pk} ({'revoked' if self.revoked_at else 'active'})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def target(self) -> Conversation | Comparison:
        target = self.conversation or self.comparison
        assert target is not None
        return target
