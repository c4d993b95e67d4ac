"""Changing what the model registry remembers."""

from __future__ import annotations

from django.core.cache import cache

from playground.catalog.selectors import model_listing_cache_key
from playground.llm.providers import Provider


async def model_listing_forget(*, provider: Provider) -> None:
    """Drop the provider's cached model list so the next visit asks the endpoint again."""
    await cache.adelete(model_listing_cache_key(provider))
