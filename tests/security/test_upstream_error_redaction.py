"""An upstream error that echoes a key (a proxy quoting the Authorization header, a URL with
`?key=`) loses it before anything stores or shows it: every configured provider key, and anything
shaped like a bearer token, an API key header or a `key=` parameter."""

from __future__ import annotations

import asyncio

import httpx2
import pytest
from django.test import Client

from playground.llm.errors import UpstreamError, error_from_body, upstream_error_from
from tests.catalog.conftest import FakeUpstream, upstream  # noqa: F401
from tests.llm.fakes import fake_client

GEMINI_KEY = "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"
PLAIN_KEY = "correct-horse-battery-staple-42"  # a key with no recognisable shape
EXTRA_KEY = "ollama-local-0f3e9a2b7c"


def shown(error: UpstreamError) -> str:
    return f"{error}\n{error.as_dict()}"


@pytest.fixture
def configured_keys(settings, monkeypatch) -> None:
    settings.GEMINI_API_KEY = PLAIN_KEY
    settings.EXTRA_PROVIDERS = [
        {"name": "local", "base_url": "http://127.0.0.1:11434/v1/", "api_key_env": "LOCAL_KEY"}
    ]
    monkeypatch.setenv("LOCAL_KEY", EXTRA_KEY)


def test_a_proxy_quoting_the_authorization_header_does_not_show_the_key(configured_keys) -> None:
    def echoing_proxy(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            401,
            text=f"Rejected: Authorization: {request.headers['authorization']} is not allowed",
        )

    async def call() -> BaseException:
        try:
            await fake_client(echoing_proxy).models.list()
        except Exception as exc:
            return exc
        raise AssertionError("the proxy refused the call")

    error = upstream_error_from(asyncio.run(call()))

    assert "test-key" not in shown(error)
    assert "Authorization: [redacted]" in str(error) and error.status_code == 401


@pytest.mark.parametrize(
    "echo",
    [
        f"Invalid key {PLAIN_KEY} for this project",
        f"upstream said: {EXTRA_KEY} expired",
        f"API key not valid: {GEMINI_KEY}",
        f'headers: {{"Authorization": "Bearer {PLAIN_KEY[::-1]}xyz"}}',
        f"x-goog-api-key: {GEMINI_KEY[::-1]}",
        "GET https://gw.example/v1/models?alt=json&key=s3cr3t-v4lue-0001 failed",
        "bad token sk-proj-AbCdEfGhIjKlMnOpQrStUv1234",
        "Proxy-Authorization: Basic dXNlcjpodW50ZXIyMjIy",
    ],
)
def test_every_key_and_key_shaped_value_is_redacted(configured_keys, echo: str) -> None:
    error = error_from_body(401, {"error": {"message": echo, "status": "UNAUTHENTICATED"}})

    for secret in (PLAIN_KEY, EXTRA_KEY, GEMINI_KEY, GEMINI_KEY[::-1], PLAIN_KEY[::-1],
                   "s3cr3t-v4lue-0001", "sk-proj-AbCdEfGhIjKlMnOpQrStUv1234",
                   "dXNlcjpodW50ZXIyMjIy"):  # fmt: skip
        assert secret not in shown(error), echo
    assert "[redacted]" in error.message


def test_errors_made_anywhere_are_redacted_too(configured_keys) -> None:
    """Connection failures quote the exception, long jobs store the endpoint's reason."""
    errors = [
        UpstreamError(f"Could not reach https://proxy/?key={PLAIN_KEY}.", kind="connection"),
        UpstreamError(f"The video failed: {EXTRA_KEY} has no quota", kind="http"),
    ]
    assert all(PLAIN_KEY not in shown(e) and EXTRA_KEY not in shown(e) for e in errors)


def test_an_ordinary_message_is_left_alone(configured_keys) -> None:
    message = (
        "API key not valid. Please pass a valid API key. Please retry in 11.66s. "
        "The monkey=banana field of models/gemini-2.5-flash is unknown."
    )
    assert error_from_body(400, {"error": {"message": message}}).message == message


@pytest.mark.django_db
def test_a_page_showing_the_error_never_shows_the_key(
    configured_keys,
    signed_in: Client,
    upstream: FakeUpstream,  # noqa: F811
) -> None:
    upstream.error = UpstreamError(f"Permission denied for key {PLAIN_KEY}", status_code=403)

    page = signed_in.get("/models/").text

    assert "Permission denied for key [redacted]" in page and PLAIN_KEY not in page
