from __future__ import annotations

import struct

from django.conf import settings
from django.db import models

from playground.accounts.models import UserHistory
from playground.llm import EMULATOR


class EmbeddingRun(UserHistory):
    """One embeddings request and what came back; vectors kept as little-endian float32."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="embedding_runs"
    )
    provider_name = models.CharField(max_length=64)
    # The address the request went to, for "Get code" (never the key).
    base_url = models.CharField(max_length=500)
    model = models.CharField(max_length=140)
    dimensions = models.PositiveIntegerField(null=True, blank=True)
    texts = models.JSONField(default=list)
    size = models.PositiveIntegerField()
    vectors = models.BinaryField()
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.model}: {len(self.texts)} texts"

    @property
    def from_emulator(self) -> bool:
        """Made up by the built-in emulator: a stand-in, whatever provider is active now."""
        return self.provider_name == EMULATOR

    @staticmethod
    def pack(vectors: tuple[tuple[float, ...], ...]) -> bytes:
        return b"".join(struct.pack(f"<{len(vector)}f", *vector) for vector in vectors)

    def unpacked(self) -> list[tuple[float, ...]]:
        raw = bytes(self.vectors)
        width = 4 * self.size
        return [
            struct.unpack(f"<{self.size}f", raw[start : start + width])
            for start in range(0, len(raw), width)
        ]
