from __future__ import annotations

from django.conf import settings
from django.db import models


class LoginLink(models.Model):
    """A one-time sign-in link. Only a hash of its token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Login link for {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"


class UserHistory(models.Model):
    """A row of one person's history (a comparison, an image generation, a video, an embeddings
    run, a batch), listed newest first on that person's page: the index serves that list.

    The concrete model declares `user`, with its own related name.
    """

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]
