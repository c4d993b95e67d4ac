"""Each provider has a flavour, and what a request carries follows it."""

from __future__ import annotations

import json

import pytest

from playground.llm.flavours import spec_for_flavour
from playground.llm.providers import configured_providers, flavour_inferred
from playground.llm.runspec import Message
from playground.runs.settings import RunSettings

QUESTION = [Message(role="user", content="hi")]
GEMINI_EXTRAS = RunSettings(
    model="o4-mini",
    reasoning_effort="high",
    include_thoughts=True,
    cached_content="cachedContents/abc",
    extra_body='{"google": {"safety_settings": []}}',
)


@pytest.mark.parametrize(
    ("base_url", "flavour"),
    [
        ("https://generativelanguage.googleapis.com/v1beta/openai/", "gemini"),
        ("http://127.0.0.1:8000/emulator/v1beta/openai/", "gemini"),
        ("https://api.openai.com/v1/", "openai"),
        ("http://localhost:11434/v1/", "openai"),
    ],
)
def test_it_infers_the_flavour_from_the_address(settings, base_url: str, flavour: str) -> None:
    settings.EMULATOR_BASE_URL = "http://127.0.0.1:8000/emulator/v1beta/openai/"

    assert flavour_inferred(base_url) == flavour


def test_a_configured_flavour_beats_the_address(settings) -> None:
    settings.EXTRA_PROVIDERS = [
        {"name": "proxy", "base_url": "http://litellm:4000/", "flavour": "gemini"},
        {"name": "vllm", "base_url": "http://vllm:8000/v1/"},
    ]

    flavours = {p.name: p.flavour for p in configured_providers()}

    assert flavours["proxy"] == "gemini" and flavours["vllm"] == "openai"
    assert flavours["emulator"] == "gemini"


def test_an_openai_provider_gets_reasoning_effort_as_it_is_and_no_extras(two_providers) -> None:
    body = GEMINI_EXTRAS.to_spec(QUESTION, provider="local").request_body()

    assert body["reasoning_effort"] == "high"
    assert "extra_body" not in body


def test_a_gemini_provider_keeps_its_extras_and_effort_mapping(two_providers) -> None:
    settings = RunSettings.from_dict(GEMINI_EXTRAS.to_dict(), model="gemini-2.5-flash")

    body = settings.to_spec(QUESTION, provider="emulator").request_body()

    # Summaries need a thinking_config, so Gemini's mapping turns the effort into a budget.
    assert "reasoning_effort" not in body
    google = body["extra_body"]["google"]
    assert google["thinking_config"] == {"thinking_budget": 24576, "include_thoughts": True}
    assert google["cached_content"] == "cachedContents/abc"
    assert google["safety_settings"] == []


def test_a_stored_spec_with_extras_is_stripped_for_an_openai_endpoint(two_providers) -> None:
    spec = RunSettings.from_dict(GEMINI_EXTRAS.to_dict()).to_spec(QUESTION, provider="emulator")

    sent = spec_for_flavour(spec, "openai").request_body()

    assert "extra_body" not in sent
    assert sent["model"] == "o4-mini"


def test_settings_keep_their_provider_through_every_round_trip(two_providers) -> None:
    settings = RunSettings(model="gpt-4o-mini", provider="local", temperature=0.5)

    spec = settings.to_spec(QUESTION)
    again = RunSettings.from_spec(type(spec).from_dict(spec.to_dict()))

    assert spec.provider == "local"
    assert RunSettings.from_dict(settings.to_dict()).provider == "local"
    assert again.provider == "local" and again.model == "gpt-4o-mini"


def test_settings_without_a_provider_run_on_the_active_one(two_providers) -> None:
    spec = RunSettings.from_dict({"model": "gemini-2.5-flash"}).to_spec(QUESTION)

    assert spec.provider == "emulator"


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ({"name": "x", "base_url": "http://x/", "flavour": "anthropic"}, "flavour must be"),
        ({"name": "x", "base_url": "http://x/", "api_key_env": "$(rm -rf)"}, "api_key_env"),
    ],
)
def test_a_bad_provider_entry_stops_start_up_naming_it(monkeypatch, entry, complaint) -> None:
    from playground import settings as project_settings
    from playground.environment import ImproperSetting

    monkeypatch.setenv("PLAYGROUND_EXTRA_PROVIDERS", json.dumps([entry]))

    with pytest.raises(ImproperSetting, match=complaint):
        project_settings._extra_providers()


async def test_a_provider_that_is_down_is_named_in_the_error(two_providers, settings) -> None:
    from playground.llm.errors import UpstreamError
    from playground.llm.streaming import stream_reply

    settings.UPSTREAM_MAX_RETRIES = 0
    spec = RunSettings(model="gpt-4o-mini", provider="local").to_spec(QUESTION)

    with pytest.raises(UpstreamError) as raised:
        async for _event in stream_reply(spec):
            pass

    assert raised.value.kind == "connection"
    assert raised.value.message.startswith("Could not reach Local (")
