"""The API key: any non-empty key will do, none at all fails as Gemini fails."""

from __future__ import annotations

import json
import subprocess

import httpx2
from openai import OpenAI

from tests.emulator.conftest import error_of, post_raw

KEY_INVALID = [
    {
        "error": {
            "code": 400,
            "message": "API key not valid. Please pass a valid API key.",
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": {"service": "generativelanguage.googleapis.com"},
                }
            ],
        }
    }
]
HELLO = {"model": "gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}]}


def test_it_refuses_a_chat_request_without_a_key(base_url: str) -> None:
    response = post_raw(base_url, "chat/completions", HELLO, key=None)

    assert response.status_code == 400
    assert response.json() == KEY_INVALID


def test_it_refuses_an_empty_bearer_key(base_url: str) -> None:
    # httpx2 will not send a header value ending in a space; curl will.
    result = subprocess.run(
        ["curl", "-sS", "-w", "%{http_code}", base_url + "models", "-H", "Authorization: Bearer "],
        capture_output=True,
        text=True,
        check=True,
    )

    body, status = result.stdout[:-3], result.stdout[-3:]
    assert status == "400"
    assert json.loads(body) == KEY_INVALID


def test_it_refuses_a_bearer_scheme_without_a_key(base_url: str) -> None:
    response = httpx2.get(base_url + "models", headers={"Authorization": "Bearer"})

    assert response.status_code == 400
    assert error_of(response)["details"][0]["reason"] == "API_KEY_INVALID"


def test_it_refuses_the_model_list_without_a_key(base_url: str) -> None:
    response = httpx2.get(base_url + "models")

    assert response.status_code == 400
    assert response.json() == KEY_INVALID


def test_it_accepts_any_non_empty_key(base_url: str) -> None:
    client = OpenAI(api_key="anything-at-all", base_url=base_url)

    assert client.models.retrieve("gemini-2.0-flash").id == "models/gemini-2.0-flash"


def test_it_accepts_the_key_in_googles_own_header(base_url: str) -> None:
    response = httpx2.get(base_url + "models", headers={"x-goog-api-key": "k"})

    assert response.status_code == 200
