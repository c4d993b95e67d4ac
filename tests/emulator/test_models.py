"""GET models and models/<id>: the seed page's examples, unchanged but for base_url and key."""

from __future__ import annotations

import json
import subprocess

import httpx2
import openai
import pytest
from openai import OpenAI

from tests.emulator.conftest import KEY, error_of

CHAT_MODELS = [
    "gemini-3.1-pro-preview",
    "gemini-3-flash-preview",
    "gemini-3.1-flash-lite-preview",
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-2.5-flash-lite",
    "gemini-2.0-flash",
]
OTHER_MODELS = [
    "gemini-2.5-flash-image",
    "gemini-3-pro-image-preview",
    "imagen-4.0-generate-001",
    "veo-3.1-generate-preview",
    "gemini-embedding-001",
    "gemini-embedding-2-preview",
]


def test_it_lists_the_gemini_family_with_the_seed_example(base_url: str) -> None:
    client = OpenAI(api_key=KEY, base_url=base_url)

    models = client.models.list()
    ids = [model.id for model in models]

    assert ids == [f"models/{name}" for name in CHAT_MODELS + OTHER_MODELS]
    assert all(model.object == "model" and model.owned_by == "google" for model in models)
    assert all(isinstance(model.created, int) and model.created > 0 for model in models)


def test_it_retrieves_a_model_with_the_seed_example(base_url: str) -> None:
    client = OpenAI(api_key=KEY, base_url=base_url)

    model = client.models.retrieve("gemini-3-flash-preview")

    assert model.id == "models/gemini-3-flash-preview"
    assert model.owned_by == "google"


def test_it_retrieves_a_prefixed_id_that_the_sdk_sends_as_percent_2f(sdk: OpenAI) -> None:
    model = sdk.models.retrieve("models/gemini-embedding-001")

    assert model.id == "models/gemini-embedding-001"


def test_it_retrieves_an_id_with_an_encoded_slash_in_the_raw_path(base_url: str) -> None:
    response = httpx2.get(
        base_url + "models/models%2Fveo-3.1-generate-preview",
        headers={"Authorization": f"Bearer {KEY}"},
    )

    assert response.status_code == 200
    assert response.json()["id"] == "models/veo-3.1-generate-preview"


def test_it_answers_an_unknown_model_with_the_recorded_404(sdk: OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as raised:
        sdk.models.retrieve("models/no-such-model-xyz")

    assert raised.value.body == [
        {
            "error": {
                "code": 404,
                "message": "models/no-such-model-xyz is not found for API version v1main, or is "
                "not supported for generateContent. Call ModelService.ListModels to see the "
                "list of available models and their supported methods.",
                "status": "NOT_FOUND",
            }
        }
    ]


def test_it_lists_models_for_the_seed_curl_example(base_url: str) -> None:
    result = subprocess.run(
        ["curl", "-sS", base_url + "models", "-H", f"Authorization: Bearer {KEY}"],
        capture_output=True,
        text=True,
        check=True,
    )

    body = json.loads(result.stdout)
    assert body["object"] == "list"
    assert {"created", "id", "object", "owned_by"} == set(body["data"][0])
    assert "models/gemini-2.5-flash" in [model["id"] for model in body["data"]]


def test_it_retrieves_a_model_for_the_seed_curl_example(base_url: str) -> None:
    result = subprocess.run(
        [
            "curl",
            "-sS",
            base_url + "models/gemini-3-flash-preview",
            "-H",
            f"Authorization: Bearer {KEY}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )

    assert json.loads(result.stdout) == {
        "created": json.loads(result.stdout)["created"],
        "id": "models/gemini-3-flash-preview",
        "object": "model",
        "owned_by": "google",
    }
    # Keys come sorted and compact, as Gemini writes them.
    assert result.stdout.startswith('{"created":')


def test_it_answers_an_unknown_path_with_a_gemini_error(base_url: str) -> None:
    response = httpx2.get(base_url + "no/such/thing", headers={"Authorization": f"Bearer {KEY}"})

    assert response.status_code == 404
    assert error_of(response)["status"] == "NOT_FOUND"
