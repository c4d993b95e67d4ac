"""Changing what the model registry remembers."""

from __future__ import annotations

from django.core.cache import cache

from playground.catalog.selectors import (
    model_ids_recent_forget,
    model_listing_cache_key,
    model_listing_failure_key,
    model_listing_stale_key,
)
from playground.llm import Provider


async def model_listing_forget(*, provider: Provider) -> None:
    """Drop the provider's cached model list (or failure), and the last one had, so the next
    look asks again and every picker waits for the answer."""
    await cache.adelete_many(
        [
            model_listing_cache_key(provider),
            model_listing_failure_key(provider),
            model_listing_stale_key(provider),
        ]
    )
    model_ids_recent_forget()
