"""What Gemini refuses, refused with Gemini's wording in its list-wrapped error body."""

from __future__ import annotations

import httpx2
import openai
import pytest
from openai import OpenAI

from tests.emulator.conftest import KEY, error_of, post_raw

ASK = [{"role": "user", "content": "Explain to me how AI works"}]


def google(**thinking_config: object) -> dict[str, object]:
    return {"extra_body": {"google": {"thinking_config": thinking_config}}}


def refusal(base_url: str, body: dict[str, object] | bytes) -> dict[str, object]:
    response = post_raw(base_url, "chat/completions", body)
    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["status"] == "INVALID_ARGUMENT"
    return error


def test_it_refuses_a_body_that_is_not_json(base_url: str) -> None:
    error = refusal(base_url, b"{model: gemini")

    assert error["message"] == "Invalid JSON payload received. Unexpected token."


@pytest.mark.parametrize(
    "field", ["web_search_options", "max_new_tokens", "thinking", "parallel_tool_calls", "user"]
)
def test_it_refuses_unknown_top_level_fields(base_url: str, field: str) -> None:
    error = refusal(base_url, {"model": "gemini-2.5-flash", "messages": ASK, field: True})

    assert error["message"] == (
        f'Invalid JSON payload received. Unknown name "{field}": Cannot find field.'
    )


def test_it_accepts_every_documented_top_level_field(base_url: str) -> None:
    body = {
        "model": "gemini-2.5-flash",
        "messages": ASK,
        "stream": False,
        "stream_options": {"include_usage": True},
        "temperature": 0.5,
        "top_p": 0.9,
        "max_tokens": 100,
        "max_completion_tokens": 100,
        "n": 1,
        "stop": ["zzz"],
        "seed": 3,
        "response_format": {"type": "text"},
        "tools": [{"type": "function", "function": {"name": "get_time", "parameters": {}}}],
        "tool_choice": "auto",
        "reasoning_effort": "low",
        "service_tier": "default",
        "extra_body": {"google": {"cached_content": "cachedContents/abc"}},
        "presence_penalty": 0.1,
        "frequency_penalty": 0.1,
    }

    response = post_raw(base_url, "chat/completions", body)

    assert response.status_code == 200, response.text
    calls = response.json()["choices"][0]["message"]["tool_calls"]
    assert [call["function"]["name"] for call in calls] == ["get_time"]


def test_it_refuses_a_request_without_messages(base_url: str) -> None:
    for messages in (None, []):
        body = {"model": "gemini-2.5-flash", "messages": messages}
        assert "contents is not specified" in refusal(base_url, body)["message"]


@pytest.mark.parametrize("content", ["", "   ", [], [{"type": "text", "text": ""}]])
def test_it_refuses_an_empty_message(base_url: str, content: object) -> None:
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"},
        {"role": "user", "content": content},
    ]

    error = refusal(base_url, {"model": "gemini-2.5-flash", "messages": messages})

    assert error["message"] == (
        "* GenerateContentRequest.contents[1].parts: contents.parts must not be empty."
    )


def test_it_answers_an_unknown_chat_model_with_not_found(base_url: str) -> None:
    response = post_raw(base_url, "chat/completions", {"model": "gemini-9-ultra", "messages": ASK})

    assert response.status_code == 404
    error = error_of(response)
    assert error["status"] == "NOT_FOUND"
    assert error["message"].startswith("models/gemini-9-ultra is not found for API version")


@pytest.mark.parametrize(
    ("model", "kind"),
    [
        ("gemini-embedding-001", "embedding"),
        ("imagen-4.0-generate-001", "image"),
        ("veo-3.1-generate-preview", "video"),
    ],
)
def test_it_refuses_chat_with_a_model_that_does_not_chat(
    base_url: str, model: str, kind: str
) -> None:
    error = refusal(base_url, {"model": model, "messages": ASK})

    assert error["message"].startswith(f"models/{model} is a")
    assert kind in error["message"] and "chat completions" in error["message"]


@pytest.mark.parametrize(
    ("model", "settings", "message"),
    [
        (
            "gemini-3-flash-preview",
            {"reasoning_effort": "low", **google(thinking_level="low")},
            "Expected one of either reasoning_effort or custom thinking_config; found both",
        ),
        (  # Gemini refuses even a thinking_config that only asks for thought summaries.
            "gemini-2.5-flash",
            {"reasoning_effort": "low", **google(include_thoughts=True)},
            "Expected one of either reasoning_effort or custom thinking_config; found both",
        ),
        (
            "gemini-3-flash-preview",
            {"reasoning_effort": "extreme"},
            "Invalid reasoning_effort: extreme. Valid values are: high, low, medium, minimal",
        ),
        (
            "gemini-2.5-flash",
            {"reasoning_effort": "max"},
            "Invalid reasoning_effort: max. Valid values are: high, low, medium, minimal, none",
        ),
        (
            "gemini-3.1-pro-preview",
            {"reasoning_effort": "none"},
            "Invalid reasoning_effort: none. Valid values are: high, low, medium, minimal. "
            "Thinking cannot be turned off for models/gemini-3.1-pro-preview: this model only "
            "works in thinking mode.",
        ),
        (
            "gemini-2.5-pro",
            {"reasoning_effort": "none"},
            "Budget 0 is invalid. This model only works in thinking mode.",
        ),
        (
            "gemini-2.5-pro",
            google(thinking_budget=0),
            "Budget 0 is invalid. This model only works in thinking mode.",
        ),
        (
            "gemini-2.5-flash",
            google(thinking_budget=50000),
            "Budget 50000 is invalid. Please choose a value between 1 and 24576.",
        ),
        (
            "gemini-3.1-pro-preview",
            google(thinking_level="minimal"),
            "Thinking level MINIMAL is not supported for this model. Please retry with other "
            "thinking level",
        ),
        (
            "gemini-3-flash-preview",
            google(thinking_budget=1024),
            "thinking_budget is not supported for models/gemini-3-flash-preview: Gemini 3 "
            "models take thinking_level (minimal, low, medium, high) instead.",
        ),
        (
            "gemini-2.5-flash",
            google(thinking_level="high"),
            "thinking_level is not supported for models/gemini-2.5-flash: Gemini 2.5 models "
            "take thinking_budget (a number of tokens, -1 for dynamic) instead.",
        ),
        (
            "gemini-2.0-flash",
            {"reasoning_effort": "low"},
            "Thinking is not supported for models/gemini-2.0-flash.",
        ),
        (
            "gemini-2.5-flash",
            google(budget=10),
            'Invalid JSON payload received. Unknown name "budget" at '
            "'extra_body.google.thinking_config': Cannot find field.",
        ),
    ],
)
def test_it_refuses_reasoning_settings_the_model_does_not_take(
    base_url: str, model: str, settings: dict[str, object], message: str
) -> None:
    error = refusal(base_url, {"model": model, "messages": ASK, **settings})

    assert error["message"] == message


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("temperature", 2.5, "Invalid temperature: 2.5. It must be between 0 and 2."),
        ("temperature", -1, "Invalid temperature: -1. It must be between 0 and 2."),
        ("temperature", "hot", "Invalid value at 'temperature' (TYPE_FLOAT), \"hot\""),
        ("top_p", 1.5, "Invalid top_p: 1.5. It must be between 0 and 1."),
        ("n", 9, "Invalid n: 9. It must be between 1 and 8."),
        ("n", 0, "Invalid n: 0. It must be between 1 and 8."),
        ("max_tokens", 0, "Invalid max_tokens: 0. It must be at least 1."),
        (
            "service_tier",
            "turbo",
            "Invalid service_tier: turbo. Valid values are: auto, default, flex, priority",
        ),
    ],
)
def test_it_refuses_sampling_settings_out_of_range(
    base_url: str, field: str, value: object, message: str
) -> None:
    error = refusal(base_url, {"model": "gemini-2.5-flash", "messages": ASK, field: value})

    assert error["message"] == message


@pytest.mark.parametrize("tier", ["auto", "default", "flex", "priority"])
def test_it_accepts_every_service_tier(base_url: str, tier: str) -> None:
    body = {"model": "gemini-2.5-flash", "messages": ASK, "service_tier": tier}

    assert post_raw(base_url, "chat/completions", body).json()["service_tier"] == tier


def test_it_raises_the_sdks_bad_request_with_the_list_body(sdk: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        sdk.chat.completions.create(
            model="gemini-3-flash-preview",
            messages=ASK,
            reasoning_effort="low",
            extra_body={"extra_body": {"google": {"thinking_config": {"thinking_level": "low"}}}},
        )

    assert raised.value.status_code == 400
    assert "found both" in raised.value.body[0]["error"]["message"]


def test_it_refuses_the_wrong_method_in_gemini_shape(base_url: str) -> None:
    response = httpx2.get(base_url + "chat/completions", headers={"Authorization": f"Bearer {KEY}"})

    assert response.status_code == 404
    assert error_of(response)["status"] == "NOT_FOUND"
