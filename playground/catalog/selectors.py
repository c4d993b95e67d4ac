"""Reading the model registry: the provider's list (cached), its groups, one model's facts,
and the ids a page's model picker offers.

One caching and failure rule for every page: the provider's list is kept for
`MODEL_LIST_CACHE_SECONDS`. When it cannot be had, the Models page shows why (and asks again
on the next visit, as it is where a person looks); the model pickers accept any well-formed id
instead, and for `MODEL_LIST_FAILURE_SECONDS` do not ask again, so an unreachable provider does
not slow every page and every send.

The pickers never wait long for a list: past its freshness they offer the last list had (kept
`MODEL_LIST_STALE_SECONDS`) while one shared request asks the provider behind the page; a list
never had is waited for at most `MODEL_LIST_PAGE_WAIT_SECONDS`. A provider that accepts the
connection and then says nothing held every chat and compare page for its whole timeout, once
every `MODEL_LIST_FAILURE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode
from weakref import WeakKeyDictionary

from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from playground.catalog.capabilities import picker_capability
from playground.llm import (
    Provider,
    ReasoningRow,
    RemoteModel,
    UpstreamError,
    active_provider,
    bare_model_id,
    capabilities_of,
    configured_providers,
    family_of,
    list_models,
    reasoning_table,
)

MODEL_LIST_FAILURE_SECONDS = 30
MODEL_LIST_STALE_SECONDS = 24 * 3600
MODEL_LIST_PAGE_WAIT_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class ModelListing:
    models: list[RemoteModel]
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class ModelEntry:
    remote: RemoteModel
    family_label: str
    capabilities: frozenset[str]


@dataclass(frozen=True, slots=True)
class ModelGroup:
    key: str
    title: str
    entries: list[ModelEntry]


@dataclass(frozen=True, slots=True)
class PlaygroundPage:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class ModelField:
    name: str
    value: str
    structured: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """What the playground's own catalog knows about a model id."""

    family_label: str | None
    capabilities: list[str]
    thinking_style: str | None
    default_thinking: str
    can_disable_thinking: bool
    reasoning: list[ReasoningRow]
    pages: list[PlaygroundPage]


GROUP_TITLES = {
    "thinking": "Chat with thinking",
    "chat": "Chat",
    "image_generation": "Image generation",
    "video_generation": "Video generation",
    "embeddings": "Embeddings",
    "other": "Other",
}
CAPABILITY_LABELS = {
    "chat": "Chat",
    "thinking": "Thinking",
    "image_generation": "Image generation",
    "video_generation": "Video generation",
    "embeddings": "Embeddings",
}
THINKING_STYLES = {
    "level": "a thinking level (thinking_config.thinking_level)",
    "budget": "a token budget (thinking_config.thinking_budget)",
}
# Which pages take a model with a capability. A page shows up once its app mounts the route.
PAGES = (
    ("chat", "Chat", "chat:index"),
    ("chat", "Compare", "compare:index"),
    ("image_generation", "Images", "images:index"),
    ("video_generation", "Video", "video:index"),
    ("embeddings", "Embeddings", "embeddings:index"),
    ("chat", "Batches", "batches:index"),
    # A batch line runs embeddings too.
    ("embeddings", "Batches", "batches:index"),
)


@dataclass(frozen=True, slots=True)
class ProviderModels:
    """One provider's part of the Models page: its groups, or why it has none."""

    provider: Provider
    active: bool
    listing: ModelListing | None = None
    groups: tuple[ModelGroup, ...] = ()
    error: UpstreamError | None = None

    @property
    def shown_count(self) -> int:
        return sum(len(group.entries) for group in self.groups)


async def provider_models_get(*, provider: Provider, query: str, active: bool) -> ProviderModels:
    try:
        listing = await model_listing_get(provider=provider)
    except UpstreamError as error:
        return ProviderModels(provider=provider, active=active, error=error)
    groups = tuple(model_groups(models=listing.models, query=query))
    return ProviderModels(provider=provider, active=active, listing=listing, groups=groups)


def model_listing_cache_key(provider: Provider) -> str:
    address = hashlib.sha256(provider.base_url.encode()).hexdigest()[:16]
    return f"catalog:models:{provider.name}:{address}"


def model_listing_failure_key(provider: Provider) -> str:
    return model_listing_cache_key(provider) + ":failed"


def model_listing_stale_key(provider: Provider) -> str:
    return model_listing_cache_key(provider) + ":last"


async def model_listing_get(*, provider: Provider) -> ModelListing:
    """The provider's model list, from the cache when it is fresh enough. Raises UpstreamError."""
    key = model_listing_cache_key(provider)
    listing = await cache.aget(key)
    if listing is None:
        try:
            models = await list_models(provider)
        except UpstreamError:
            await cache.aset(model_listing_failure_key(provider), True, MODEL_LIST_FAILURE_SECONDS)
            raise
        listing = ModelListing(models=models, fetched_at=datetime.now(UTC))
        await cache.aset(key, listing, settings.MODEL_LIST_CACHE_SECONDS)
        await cache.aset(model_listing_stale_key(provider), listing, MODEL_LIST_STALE_SECONDS)
        await cache.adelete(model_listing_failure_key(provider))
    return listing


# One request at a time per provider for the pickers, per event loop (its connections are the
# loop's): the pages that find the list missing meanwhile share it.
_asking: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Task[ModelListing]]] = (
    WeakKeyDictionary()
)


def _asked(provider: Provider) -> asyncio.Task[ModelListing]:
    asking = _asking.setdefault(asyncio.get_running_loop(), {})
    key = model_listing_cache_key(provider)
    if key not in asking:
        task = asyncio.ensure_future(model_listing_get(provider=provider))
        asking[key] = task

        def done(finished: asyncio.Task[ModelListing]) -> None:
            asking.pop(key, None)
            if not finished.cancelled():
                finished.exception()  # a failure is remembered in the cache, not raised here

        task.add_done_callback(done)
    return asking[key]


async def picker_listing(*, provider: Provider) -> ModelListing | None:
    """The list a model picker offers: the fresh one; else the last one had, while the
    provider is asked behind the page; else what the provider answers within
    MODEL_LIST_PAGE_WAIT_SECONDS. None (offer any id) when it failed a moment ago or is slow."""
    keys = [
        model_listing_cache_key(provider),
        model_listing_failure_key(provider),
        model_listing_stale_key(provider),
    ]
    found = await cache.aget_many(keys)
    fresh, failed, last = (found.get(key) for key in keys)
    if fresh is not None:
        return fresh
    if failed:
        return last
    asked = _asked(provider)
    if last is not None:
        return last
    try:
        return await asyncio.wait_for(asyncio.shield(asked), MODEL_LIST_PAGE_WAIT_SECONDS)
    except (TimeoutError, UpstreamError):
        return None


# Every message a socket validates reads the model lists: reading the shared cache costs a
# trip off the event loop and unpickling the list (~1 ms a provider, before a reply's request
# can leave), so each process keeps the answer for a few seconds.
RECENT_SECONDS = 5.0
_recent: dict[tuple[str, str], tuple[float, list[str]]] = {}


def model_ids_recent_forget() -> None:
    _recent.clear()


async def model_ids(*, capability: str, provider: Provider | None = None) -> list[str]:
    """Bare ids of the provider's models (the active one's by default) that a page taking
    `capability` offers, in the provider's order. [] when the list cannot be had, which means
    "accept any well-formed id and let the endpoint decide"."""
    provider = provider or active_provider()
    key = (model_listing_cache_key(provider), capability)
    now = time.monotonic()
    kept = _recent.get(key)
    if kept is not None and kept[0] > now:
        return list(kept[1])
    ids = await _model_ids_read(capability=capability, provider=provider)
    _recent[key] = (now + RECENT_SECONDS, ids)
    return list(ids)


async def _model_ids_read(*, capability: str, provider: Provider) -> list[str]:
    fits = picker_capability(capability).fits
    listing = await picker_listing(provider=provider)
    if listing is None:
        return []
    return [model.bare_id for model in listing.models if fits(capabilities_of(model.bare_id))]


async def models_by_provider(*, capability: str) -> dict[str, list[str]]:
    """`model_ids` of every configured provider by name, the active provider first. One that
    is down gives [] (any well-formed id), and is asked again only after a short while.
    Asked side by side, so a slow provider costs its own wait once, not one per provider."""
    providers = configured_providers()
    listed = await _model_ids_each(providers, capability=capability)
    return {provider.name: ids for provider, ids in zip(providers, listed, strict=True)}


async def _model_ids_each(providers: list[Provider], *, capability: str) -> list[list[str]]:
    return list(
        await asyncio.gather(
            *(model_ids(capability=capability, provider=provider) for provider in providers)
        )
    )


@dataclass(frozen=True, slots=True)
class ProviderOffer:
    """What one provider offers a page: its models for the page's capability, and whether its
    list could be had at all ([] from a reachable provider means it lists none of them)."""

    provider: Provider
    model_ids: list[str]
    reachable: bool = True


async def provider_offers(*, capability: str, gemini_only: bool = False) -> list[ProviderOffer]:
    """`model_ids` of every configured provider (the `gemini`-flavoured ones only, for a page
    whose feature only Gemini has), asked side by side, each marked reachable or not."""
    providers = [p for p in configured_providers() if p.is_gemini or not gemini_only]
    listed = await _model_ids_each(providers, capability=capability)
    failed = await asyncio.gather(
        *(cache.aget(model_listing_failure_key(provider)) for provider in providers)
    )
    return [
        ProviderOffer(provider=provider, model_ids=ids, reachable=bool(ids) or not down)
        for provider, ids, down in zip(providers, listed, failed, strict=True)
    ]


def initial_model_id(*, capability: str, model_ids: list[str], wanted: str = "") -> str:
    """The model a page starts with: the one asked for (`?model=` from the Models page) when it
    is offered, else the capability's default when offered (or nothing is listed), else the
    first offered."""
    default = picker_capability(capability).default_model
    if wanted and bare_model_id(wanted) in model_ids:
        return bare_model_id(wanted)
    if default in model_ids or not model_ids:
        return default
    return model_ids[0]


def model_group_key(capabilities: frozenset[str]) -> str:
    """A model's one group. What it makes beats plain chat: an image model that chats is an
    image model here."""
    for specialised in ("video_generation", "image_generation", "embeddings"):
        if specialised in capabilities:
            return specialised
    if "chat" in capabilities:
        return "thinking" if "thinking" in capabilities else "chat"
    return "other"


def _entry(model: RemoteModel) -> ModelEntry:
    family = family_of(model.id)
    return ModelEntry(
        remote=model,
        family_label=family.label if family else "",
        capabilities=frozenset(capabilities_of(model.id)),
    )


def _matches(entry: ModelEntry, words: list[str]) -> bool:
    haystack = " ".join(
        [entry.remote.id, entry.family_label, *map(CAPABILITY_LABELS.get, entry.capabilities)]
    ).lower()
    return all(word in haystack for word in words)


def model_groups(*, models: list[RemoteModel], query: str = "") -> list[ModelGroup]:
    """Non-empty groups in a fixed order; every word of `query` must appear in a model's id,
    family or capabilities."""
    words = query.lower().split()
    buckets: dict[str, list[ModelEntry]] = {key: [] for key in GROUP_TITLES}
    for model in models:
        entry = _entry(model)
        if _matches(entry, words):
            buckets[model_group_key(entry.capabilities)].append(entry)
    return [
        ModelGroup(key=key, title=GROUP_TITLES[key], entries=entries)
        for key, entries in buckets.items()
        if entries
    ]


def model_pages(*, model_id: str, capabilities: frozenset[str]) -> list[PlaygroundPage]:
    """The playground's pages that take this model, among those that exist."""
    pages = []
    for capability, label, url_name in PAGES:
        if capability not in capabilities:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        pages.append(PlaygroundPage(label=label, url=f"{url}?{urlencode({'model': model_id})}"))
    return pages


def model_facts(*, model_id: str) -> ModelFacts:
    family = family_of(model_id)
    capabilities = frozenset(capabilities_of(model_id))
    return ModelFacts(
        family_label=family.label if family else None,
        capabilities=[
            CAPABILITY_LABELS.get(name, name) for name in CAPABILITY_LABELS if name in capabilities
        ],
        thinking_style=THINKING_STYLES.get(family.thinking_style or "") if family else None,
        default_thinking=family.default_thinking if family else "",
        can_disable_thinking=bool(family and family.can_disable_thinking),
        reasoning=list(reasoning_table(model_id)),
        pages=model_pages(model_id=bare_model_id(model_id), capabilities=capabilities),
    )


def _created_note(created: int | None) -> str:
    try:
        return f"{datetime.fromtimestamp(created, UTC):%Y-%m-%d %H:%M} UTC" if created else ""
    except (OverflowError, OSError, ValueError):
        return ""


def model_fields(model: RemoteModel) -> list[ModelField]:
    """Every field the endpoint returned, in its order; nested values as indented JSON."""
    fields = []
    for name, value in model.raw.items():
        if isinstance(value, (dict, list)):
            fields.append(ModelField(name, json.dumps(value, indent=2, ensure_ascii=False), True))
            continue
        shown = value if isinstance(value, str) else json.dumps(value)
        note = _created_note(model.created) if name == "created" else ""
        fields.append(ModelField(name, shown, False, note))
    return fields
