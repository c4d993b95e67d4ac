"""EMULATOR_ENABLED=false: every emulator route answers Gemini's 404."""

from __future__ import annotations

import json

import pytest
from django.test import AsyncClient

pytestmark = pytest.mark.urls("tests.emulator.urls")

AUTH = {"Authorization": "Bearer k"}
BASE = "/emulator/v1beta/openai/"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "models"),
        ("get", "models/gemini-2.5-flash"),
        ("post", "chat/completions"),
        ("get", "anything/else"),
    ],
)
async def test_it_answers_404_on_every_route_when_turned_off(
    settings, method: str, path: str
) -> None:
    settings.EMULATOR_ENABLED = False

    response = await getattr(AsyncClient(), method)(BASE + path, headers=AUTH)

    assert response.status_code == 404
    body = json.loads(response.content)
    assert body[0]["error"]["status"] == "NOT_FOUND"
    assert "EMULATOR_ENABLED" in body[0]["error"]["message"]


async def test_it_answers_when_turned_on(settings) -> None:
    settings.EMULATOR_ENABLED = True

    response = await AsyncClient().get(BASE + "models", headers=AUTH)

    assert response.status_code == 200


async def test_it_needs_no_login_and_no_csrf_token(settings) -> None:
    settings.EMULATOR_ENABLED = True
    client = AsyncClient(enforce_csrf_checks=True)
    body = {"model": "gemini-2.0-flash", "messages": [{"role": "user", "content": "Hi"}]}

    response = await client.post(
        BASE + "chat/completions", json.dumps(body), content_type="application/json", headers=AUTH
    )

    assert response.status_code == 200
    assert json.loads(response.content)["object"] == "chat.completion"
