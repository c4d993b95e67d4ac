"""Deeply nested JSON is refused with a clear message wherever it comes in (issue 18, finding
12): a JSONL line, an image generation config, an emulator request body. Never a 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from playground.catalog import selectors
from playground.images.models import ImageGeneration
from playground.limits.json_depth import JsonRefused, json_loads_bounded

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000
NESTED_CONFIG = '{"a": ' + "[" * 5_000 + "]" * 5_000 + "}"
KEY = {"Authorization": "Bearer nesting-test-key"}


@pytest.fixture
def ada(client: Client, django_user_model, settings, tmp_path, monkeypatch) -> Client:
    """Signed in; the pages' model lists are fixed, so no upstream is asked."""

    async def page_models(**capability: object) -> list[str]:
        return ["gemini-2.5-flash-image", "gemini-2.5-flash"]

    monkeypatch.setattr(selectors, "model_ids", page_models)
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(django_user_model.objects.create_user("ada", password=None))
    return client


def emulator_post(client: Client, path: str, body: str) -> dict:
    response = client.post(
        f"/emulator/v1beta/openai/{path}", body, content_type="application/json", headers=KEY
    )
    assert response.status_code == 400, response.content[:300]
    return response.json()[0]["error"]


def test_the_bounded_reader_refuses_depth_and_length_and_reads_the_rest() -> None:
    with pytest.raises(JsonRefused, match="nested too deeply: at most 5 levels"):
        json_loads_bounded("[[[[[[1]]]]]]", max_depth=5, max_chars=100)
    with pytest.raises(JsonRefused, match="12 characters long; at most 10"):
        json_loads_bounded('"0123456789"', max_depth=5, max_chars=10)
    with pytest.raises(json.JSONDecodeError):
        json_loads_bounded("[1,", max_depth=5, max_chars=100)

    assert json_loads_bounded('{"a": "[[[[[[[[", "b": [[1]]}', max_depth=3, max_chars=100) == {
        "a": "[[[[[[[[",
        "b": [[1]],
    }
    assert json_loads_bounded(b'["\\"[[[["]', max_depth=1, max_chars=100) == ['"[[[[']


def test_a_jsonl_line_of_a_hundred_thousand_brackets_is_a_line_error(ada: Client) -> None:
    body = {"model": "gemini-2.5-flash", "messages": [{"role": "user", "content": "hi"}]}
    good = json.dumps({"custom_id": "a", "method": "POST", "url": "/v1/chat/completions",
                       "body": body})  # fmt: skip
    response = ada.post(
        "/batches/",
        {"endpoint": "/v1/chat/completions", "display_name": "", "action": "check",
         "jsonl_text": f"{good}\n{DEEP}\n"},
    )  # fmt: skip

    assert response.status_code == 400
    assert "<strong>Line 2</strong>: The JSON is nested too deeply" in response.text


def test_a_generation_config_nested_five_thousand_deep_is_refused_by_the_form(
    ada: Client,
) -> None:
    response = ada.post(
        "/images/",
        {"model": "gemini-2.5-flash-image", "prompt": "a cat", "n": 1,
         "response_format": "b64_json", "generation_config": NESTED_CONFIG},
    )  # fmt: skip

    assert response.status_code == 400
    assert "Generation config is nested too deeply" in response.text
    assert ImageGeneration.objects.count() == 0


def test_a_stored_deep_generation_config_does_not_break_the_pages(
    ada: Client, django_user_model
) -> None:
    """A row stored before the form refused such configs still opens."""
    from django.core.files.base import ContentFile

    from playground.images.models import GeneratedImage
    from tests.security.objects import png

    user = django_user_model.objects.get(username="ada")
    generation = ImageGeneration.objects.create(
        user=user, provider="emulator", model="gemini-2.5-flash-image", prompt="a cat",
        request={"provider": "emulator", "model": "gemini-2.5-flash-image", "prompt": "a cat",
                 "n": 1, "response_format": "b64_json",
                 "generation_config_json": NESTED_CONFIG},
    )  # fmt: skip
    image = GeneratedImage(generation=generation, position=1, mime_type="image/png",
                           width=40, height=30, size_bytes=10)  # fmt: skip
    image.file.save("image.png", ContentFile(png()), save=False)
    image.thumbnail.save("thumbnail.webp", ContentFile(png()), save=False)
    image.save()

    detail = ada.get(f"/images/{image.pk}/")
    gallery = ada.get("/images/")
    again = ada.get(f"/images/?again={generation.pk}")

    assert detail.status_code == 200 and "a cat" in detail.text
    assert gallery.status_code == 200
    assert again.status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("chat/completions", '{"model": "gemini-2.5-flash", "messages": ' + DEEP),
        ("embeddings", '{"model": "gemini-embedding-001", "input": ' + DEEP),
        ("images/generations", '{"model": "gemini-2.5-flash-image", "prompt": "x", "n": ' + DEEP),
        ("videos", '{"model": "veo-3.1-generate-preview", "prompt": "x", "seed": ' + DEEP),
        ("batches", '{"endpoint": "/v1/chat/completions", "metadata": ' + DEEP),
    ],
)
def test_emulator_bodies_nested_too_deep_get_a_400(client: Client, path: str, body: str) -> None:
    error = emulator_post(client, path, body)

    assert error["status"] == "INVALID_ARGUMENT"
    assert "nested too deeply" in error["message"]


def test_tool_call_arguments_nested_too_deep_get_a_400(client: Client) -> None:
    arguments = '{"a":' * 5_000 + "1" + "}" * 5_000
    messages = [
        {"role": "user", "content": "Weather?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function",
             "function": {"name": "get_weather", "arguments": arguments}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
    ]  # fmt: skip
    body = json.dumps({"model": "gemini-2.5-flash", "messages": messages})

    error = emulator_post(client, "chat/completions", body)

    assert "nested too deeply" in error["message"]


def test_a_video_extra_body_field_nested_too_deep_gets_a_400(client: Client) -> None:
    response = client.post(
        "/emulator/v1beta/openai/videos",
        {"model": "veo-3.1-generate-preview", "prompt": "x", "extra_body": DEEP},
        headers=KEY,
    )

    assert response.status_code == 400
    assert "nested too deeply" in response.json()[0]["error"]["message"]


def test_an_emulator_batch_input_line_nested_too_deep_fails_the_batch_by_line(
    client: Client,
) -> None:
    from playground.emulator.batch_lines import input_lines_parse

    lines, errors = input_lines_parse(f"{DEEP}\n".encode(), "/v1/chat/completions")

    assert lines == []
    assert errors[0]["line"] == 1 and "nested too deeply" in errors[0]["message"]
