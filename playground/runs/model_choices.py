"""The active provider's chat models, for every form that picks one (chat, compare panes)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from playground.llm.catalog import capabilities_of
from playground.llm.errors import UpstreamError
from playground.llm.models_api import list_models
from playground.llm.providers import active_provider

DEFAULT_CHAT_MODEL = "gemini-3-flash-preview"
MODEL_LIST_FAILURE_SECONDS = 30
MODEL_CACHE_KEY = "chat:model-ids:{provider}:{base_url}"


async def chat_model_ids() -> list[str]:
    """Bare ids of the active provider's chat models, cached; [] when the list is unavailable.

    An empty list means "accept any id and let the upstream decide", so a provider whose
    model list fails can still be used.
    """
    provider = active_provider()
    key = MODEL_CACHE_KEY.format(provider=provider.name, base_url=provider.base_url)
    cached = await cache.aget(key)
    if cached is not None:
        return cached
    try:
        models = await list_models(provider)
    except UpstreamError:
        # Remembered briefly, so an unreachable provider does not slow every send.
        await cache.aset(key, [], MODEL_LIST_FAILURE_SECONDS)
        return []
    ids = []
    for model in models:
        capabilities = capabilities_of(model.bare_id)
        if "chat" in capabilities or not capabilities:
            ids.append(model.bare_id)
    await cache.aset(key, ids, settings.MODEL_LIST_CACHE_SECONDS)
    return ids


def default_model(model_ids: list[str]) -> str:
    if DEFAULT_CHAT_MODEL in model_ids or not model_ids:
        return DEFAULT_CHAT_MODEL
    return model_ids[0]
