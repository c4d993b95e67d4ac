from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from openai import OpenAI

from tests.servers import ServedPlayground

KEY = "emulator-test-key"


@pytest.fixture
def base_url(served: ServedPlayground) -> str:
    """The emulator's OpenAI base URL on the served playground (instant pace)."""
    return served.emulator_url


@pytest.fixture
def sdk(base_url: str) -> OpenAI:
    """The openai SDK pointed at the emulator, failing at once instead of retrying."""
    return OpenAI(api_key=KEY, base_url=base_url, max_retries=0)


def post_raw(base_url: str, path: str, body: Any, key: str | None = KEY) -> httpx2.Response:
    """A request as curl would send it, for checking bytes the SDK would hide."""
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx2.post(base_url + path, content=content, headers=headers, timeout=10)


def sse_payloads(text: str) -> list[str]:
    """The `data:` payloads of an event stream, checking the framing on the way."""
    assert text.endswith("data: [DONE]\n\n")
    events = text.split("\n\n")[:-1]
    assert all(event.startswith("data: ") and "\n" not in event for event in events)
    return [event.removeprefix("data: ") for event in events]


def stream_chunks(text: str) -> list[dict[str, Any]]:
    return [json.loads(payload) for payload in sse_payloads(text)[:-1]]


def error_of(response: httpx2.Response) -> dict[str, Any]:
    """Gemini's list-wrapped error, checked for shape; returns the inner `error`."""
    body = response.json()
    assert isinstance(body, list) and len(body) == 1 and set(body[0]) == {"error"}
    error = body[0]["error"]
    assert error["code"] == response.status_code
    assert "type" not in error and "param" not in error
    return error
