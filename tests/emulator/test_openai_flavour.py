"""EMULATOR_FLAVOUR=openai: the emulator stands in for an OpenAI-compatible second provider."""

from __future__ import annotations

import json

import pytest
from django.test import AsyncClient

pytestmark = pytest.mark.urls("tests.emulator.urls")

AUTH = {"Authorization": "Bearer k"}
BASE = "/emulator/v1beta/openai/"


@pytest.fixture(autouse=True)
def openai_flavour(settings) -> None:
    settings.EMULATOR_ENABLED = True
    settings.EMULATOR_FLAVOUR = "openai"


async def _chat(body: dict) -> tuple[int, object]:
    response = await AsyncClient().post(
        BASE + "chat/completions", json.dumps(body), content_type="application/json",
        headers=AUTH,
    )  # fmt: skip
    return response.status_code, json.loads(response.content)


async def test_it_lists_openai_models_without_geminis_prefix() -> None:
    response = await AsyncClient().get(BASE + "models", headers=AUTH)

    models = json.loads(response.content)["data"]
    assert [model["id"] for model in models] == [
        "gpt-4o-mini",
        "gpt-4.1-mini",
        "o4-mini",
        "gpt-image-1",
        "text-embedding-3-small",
    ]
    assert {model["owned_by"] for model in models} == {"openai"}


async def test_it_refuses_extra_body_in_openais_error_shape() -> None:
    status, body = await _chat({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "hi"}],
        "extra_body": {"google": {"thinking_config": {"include_thoughts": True}}},
    })  # fmt: skip

    assert status == 400
    assert body == {
        "error": {
            "message": "Unrecognized request argument supplied: extra_body",
            "type": "invalid_request_error",
            "param": None,
            "code": "unknown_parameter",
        }
    }


async def test_it_answers_an_openai_model_with_reasoning_effort_as_sent() -> None:
    status, body = await _chat({
        "model": "o4-mini",
        "messages": [{"role": "user", "content": "hi"}],
        "reasoning_effort": "low",
    })  # fmt: skip

    assert status == 200
    assert body["choices"][0]["message"]["content"]


async def test_a_gemini_model_is_unknown_there() -> None:
    status, body = await _chat(
        {"model": "gemini-2.5-flash", "messages": [{"role": "user", "content": "hi"}]}
    )

    assert status == 404
    assert body["error"]["code"] == "model_not_found"
    assert "gemini-2.5-flash" in body["error"]["message"]


async def _post(path: str, body: dict) -> tuple[int, dict]:
    response = await AsyncClient().post(
        BASE + path, json.dumps(body), content_type="application/json", headers=AUTH
    )
    return response.status_code, json.loads(response.content)


async def test_it_draws_with_gpt_image_1_and_refuses_geminis_image_extras() -> None:
    drawn, image = await _post("images/generations", {"model": "gpt-image-1", "prompt": "a cat"})
    refused, error = await _post("images/generations", {
        "model": "gpt-image-1", "prompt": "a cat",
        "extra_body": {"google": {"aspect_ratio": "16:9"}},
    })  # fmt: skip

    assert drawn == 200 and image["data"][0]["b64_json"]
    assert refused == 400
    assert error["error"]["message"] == "Unrecognized request argument supplied: extra_body"


async def test_it_embeds_with_text_embedding_3_small_in_1536_numbers() -> None:
    status, body = await _post(
        "embeddings",
        {"model": "text-embedding-3-small", "input": ["a", "b"], "encoding_format": "float"},
    )

    assert status == 200
    assert [len(item["embedding"]) for item in body["data"]] == [1536, 1536]
