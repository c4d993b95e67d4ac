"""Writes for the embeddings lab."""

from __future__ import annotations

import time

from asgiref.sync import async_to_sync
from django.contrib.auth.models import AbstractBaseUser

from playground.embeddings.models import EmbeddingRun
from playground.llm import EmbeddingSpec, Provider, embed_texts


def embedding_run_create(
    *, user: AbstractBaseUser, provider: Provider, spec: EmbeddingSpec
) -> EmbeddingRun:
    """Embeds the texts and keeps the result. Raises UpstreamError, storing nothing."""
    started = time.monotonic()
    embeddings = async_to_sync(embed_texts)(provider, spec)
    return EmbeddingRun.objects.create(
        user=user,
        provider_name=provider.name,
        base_url=provider.base_url,
        model=spec.model,
        dimensions=spec.dimensions,
        texts=list(spec.texts),
        size=embeddings.size,
        vectors=EmbeddingRun.pack(embeddings.vectors),
        prompt_tokens=embeddings.prompt_tokens,
        elapsed_ms=round((time.monotonic() - started) * 1000),
    )
