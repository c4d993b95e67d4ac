"""Which OpenAI-compatible endpoints the playground can talk to, from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings

from playground.environment import envsecret

EMULATOR = "emulator"
GEMINI = "gemini"

# What a provider's endpoint accepts beyond the OpenAI fields: `gemini` takes Google's extras
# (`extra_body.google`) and maps reasoning_effort itself; `openai` takes the OpenAI fields only.
Flavour = Literal["gemini", "openai"]
FLAVOURS: tuple[Flavour, ...] = ("gemini", "openai")
GEMINI_HOST = "generativelanguage.googleapis.com"


def flavour_inferred(base_url: str) -> Flavour:
    """Gemini's own address or the emulator's is `gemini`; any other address is `openai`."""
    address = urlsplit(base_url.strip())
    if address.hostname == GEMINI_HOST:
        return "gemini"
    if base_url.strip().rstrip("/") == settings.EMULATOR_BASE_URL.strip().rstrip("/"):
        return "gemini"
    return "openai"


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    label: str
    base_url: str
    is_emulator: bool = False
    # For extra providers: the environment variable (or NAME_FILE) holding the key.
    api_key_env: str = ""
    flavour: Flavour = "gemini"

    @property
    def is_gemini(self) -> bool:
        return self.flavour == "gemini"

    @property
    def key_variable(self) -> str:
        """The name exported code reads the key from (never the key itself)."""
        if self.is_emulator:
            return "GEMINI_API_KEY"
        if self.name == GEMINI:
            return "GEMINI_API_KEY"
        return self.api_key_env or "OPENAI_API_KEY"

    @property
    def api_key(self) -> str:
        """Read at call time so the key never sits in a long-lived object that gets printed."""
        if self.is_emulator:
            # Generated per installation: the emulator shows each key only what it made.
            return settings.EMULATOR_API_KEY
        if self.name == GEMINI:
            return settings.GEMINI_API_KEY
        return envsecret(self.api_key_env) if self.api_key_env else ""

    def __repr__(self) -> str:
        return f"Provider(name={self.name!r}, base_url={self.base_url!r}, flavour={self.flavour!r})"


def _emulator() -> Provider:
    return Provider(EMULATOR, "Emulator", settings.EMULATOR_BASE_URL, is_emulator=True)


def configured_providers() -> list[Provider]:
    """Gemini first when a key is set, then the emulator when it is on, then any extras.

    An extra entry cannot take a built-in name: "gemini" would otherwise receive the
    Gemini key at whatever address the entry gives.
    """
    providers: list[Provider] = []
    if settings.GEMINI_API_KEY:
        providers.append(Provider(GEMINI, "Gemini", settings.GEMINI_BASE_URL))
    if settings.EMULATOR_ENABLED:
        providers.append(_emulator())
    taken = {GEMINI, EMULATOR}
    for entry in settings.EXTRA_PROVIDERS:
        if entry["name"] in taken:
            continue
        taken.add(entry["name"])
        providers.append(
            Provider(
                name=entry["name"],
                label=entry.get("label") or entry["name"],
                base_url=entry["base_url"],
                api_key_env=entry.get("api_key_env", ""),
                flavour=entry.get("flavour") or flavour_inferred(entry["base_url"]),
            )
        )
    return providers


def active_provider() -> Provider:
    providers = configured_providers()
    if providers:
        return providers[0]
    # Nothing configured at all: the emulator's address still answers if it is served.
    return _emulator()


def provider_named(name: str) -> Provider | None:
    return next((p for p in configured_providers() if p.name == name), None)


def provider_for(name: str | None) -> Provider:
    """The provider a run names, or the active one when it names none (or one gone since)."""
    return (provider_named(name) if name else None) or active_provider()


def provider_shown(name: str) -> str:
    """How a saved run names its provider on a page: by label when there are several to tell
    apart ("" when there is one, as pages were before there was a choice)."""
    providers = configured_providers()
    if len(providers) < 2 or not name:
        return ""
    return next((p.label for p in providers if p.name == name), name)
