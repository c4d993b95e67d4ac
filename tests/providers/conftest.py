from __future__ import annotations

import pytest

OPENAI_URL = "http://127.0.0.1:9/v1/"


@pytest.fixture
def two_providers(settings) -> None:
    """The emulator (gemini) first, then an OpenAI-compatible endpoint named "local"."""
    settings.GEMINI_API_KEY = ""
    settings.EMULATOR_ENABLED = True
    settings.EXTRA_PROVIDERS = [
        {"name": "local", "label": "Local", "base_url": OPENAI_URL, "api_key_env": "LOCAL_KEY"}
    ]
