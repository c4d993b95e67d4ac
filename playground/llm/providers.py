"""Which OpenAI-compatible endpoints the playground can talk to, from settings."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings

EMULATOR = "emulator"
GEMINI = "gemini"


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    label: str
    base_url: str
    is_emulator: bool = False
    api_key_env: str = ""

    @property
    def api_key(self) -> str:
        """Read at call time so the key never sits in a long-lived object that gets printed."""
        if self.name == GEMINI:
            return settings.GEMINI_API_KEY
        if self.is_emulator:
            return "emulator-key"
        return os.environ.get(self.api_key_env, "") if self.api_key_env else ""

    def __repr__(self) -> str:
        return f"Provider(name={self.name!r}, base_url={self.base_url!r})"


def configured_providers() -> list[Provider]:
    """Gemini first when a key is set, then the emulator when it is on, then any extras."""
    providers: list[Provider] = []
    if settings.GEMINI_API_KEY:
        providers.append(Provider(GEMINI, "Gemini", settings.GEMINI_BASE_URL))
    if settings.EMULATOR_ENABLED:
        providers.append(
            Provider(EMULATOR, "Emulator", settings.EMULATOR_BASE_URL, is_emulator=True)
        )
    for entry in settings.EXTRA_PROVIDERS:
        providers.append(
            Provider(
                name=entry["name"],
                label=entry.get("label", entry["name"]),
                base_url=entry["base_url"],
                api_key_env=entry.get("api_key_env", ""),
            )
        )
    return providers


def active_provider() -> Provider:
    providers = configured_providers()
    if providers:
        return providers[0]
    # Nothing configured at all: the emulator's address still answers if it is served.
    return Provider(EMULATOR, "Emulator", settings.EMULATOR_BASE_URL, is_emulator=True)


def provider_named(name: str) -> Provider | None:
    return next((p for p in configured_providers() if p.name == name), None)
