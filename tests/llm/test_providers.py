from __future__ import annotations

import asyncio

import pytest

from playground.llm.client import client_for
from playground.llm.providers import (
    Provider,
    active_provider,
    configured_providers,
    provider_named,
)

SECRET = "AIzaSy-very-secret-test-key"


@pytest.fixture
def with_gemini_key(settings) -> None:
    settings.GEMINI_API_KEY = SECRET
    settings.GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai/"
    settings.EMULATOR_ENABLED = False
    settings.EXTRA_PROVIDERS = []


@pytest.fixture
def without_gemini_key(settings) -> None:
    settings.GEMINI_API_KEY = ""
    settings.EMULATOR_ENABLED = True
    settings.EMULATOR_BASE_URL = "http://127.0.0.1:8000/emulator/v1beta/openai/"
    settings.EXTRA_PROVIDERS = []


def test_it_talks_to_gemini_first_when_a_key_is_set(with_gemini_key) -> None:
    provider = active_provider()

    assert provider.name == "gemini"
    assert provider.base_url == "https://generativelanguage.googleapis.com/v1beta/openai/"
    assert not provider.is_emulator
    assert provider.api_key == SECRET


def test_it_lists_gemini_before_the_emulator_when_both_are_on(with_gemini_key, settings) -> None:
    settings.EMULATOR_ENABLED = True

    assert [p.name for p in configured_providers()] == ["gemini", "emulator"]


def test_it_talks_to_the_emulator_without_a_key(without_gemini_key) -> None:
    provider = active_provider()

    assert provider.name == "emulator"
    assert provider.is_emulator
    assert provider.base_url == "http://127.0.0.1:8000/emulator/v1beta/openai/"
    assert provider_named("gemini") is None


def test_it_still_names_the_emulator_when_nothing_is_configured(settings) -> None:
    settings.GEMINI_API_KEY = ""
    settings.EMULATOR_ENABLED = False
    settings.EXTRA_PROVIDERS = []

    assert configured_providers() == []
    assert active_provider().is_emulator


def test_it_adds_extra_providers_with_their_own_keys(
    without_gemini_key, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OLLAMA_KEY", "ollama-secret")
    settings.EXTRA_PROVIDERS = [
        {
            "name": "ollama",
            "label": "Ollama",
            "base_url": "http://localhost:11434/v1/",
            "api_key_env": "OLLAMA_KEY",
        },
        {"name": "vllm", "base_url": "http://gpu:8000/v1/"},
    ]

    ollama, vllm = configured_providers()[1:]

    assert (ollama.name, ollama.label, ollama.base_url) == (
        "ollama",
        "Ollama",
        "http://localhost:11434/v1/",
    )
    assert ollama.api_key == "ollama-secret"
    assert (vllm.label, vllm.api_key) == ("vllm", "")
    assert provider_named("vllm") == vllm


def test_an_extra_provider_cannot_borrow_the_gemini_key(with_gemini_key, settings) -> None:
    settings.EXTRA_PROVIDERS = [{"name": "gemini", "base_url": "https://elsewhere.test/v1/"}]

    assert [p.base_url for p in configured_providers() if p.name == "gemini"] == [
        "https://generativelanguage.googleapis.com/v1beta/openai/"
    ]


def test_the_key_never_shows_in_repr(with_gemini_key) -> None:
    provider = active_provider()

    assert provider.api_key == SECRET
    assert SECRET not in repr(provider)
    assert SECRET not in str(provider)
    assert SECRET not in repr(configured_providers())


async def test_it_shares_one_client_per_provider_within_a_loop(with_gemini_key) -> None:
    gemini = active_provider()
    other = Provider("vllm", "vLLM", "http://gpu:8000/v1/")

    assert client_for(gemini) is client_for(gemini)
    assert client_for(gemini) is not client_for(other)


async def test_it_builds_a_new_client_when_the_key_changes(with_gemini_key, settings) -> None:
    before = client_for(active_provider())
    settings.GEMINI_API_KEY = "another-key"

    after = client_for(active_provider())

    assert after is not before
    assert after.api_key == "another-key"


def test_each_event_loop_gets_its_own_client(with_gemini_key) -> None:
    async def current_client() -> object:
        return client_for(active_provider())

    first = asyncio.run(current_client())
    second = asyncio.run(current_client())

    assert first is not second


async def test_it_sets_timeouts_and_retries_from_settings(with_gemini_key, settings) -> None:
    settings.UPSTREAM_TIMEOUT_SECONDS = 42.0
    settings.UPSTREAM_CONNECT_TIMEOUT_SECONDS = 3.0
    settings.UPSTREAM_MAX_RETRIES = 4

    client = client_for(active_provider())

    assert client.timeout.read == 42.0
    assert client.timeout.connect == 3.0
    assert client.max_retries == 4
    assert str(client.base_url) == "https://generativelanguage.googleapis.com/v1beta/openai/"
