"""Thinking: reasoning_effort, thinking_config and thought summaries, as Gemini sends them."""

from __future__ import annotations

import json

import pytest
from openai import OpenAI

from tests.emulator.conftest import KEY, post_raw, stream_chunks

ASK = [{"role": "user", "content": "Explain to me how AI works"}]


def thinking_tokens_of(usage: object) -> int:
    return usage.total_tokens - usage.prompt_tokens - usage.completion_tokens


def google(**thinking_config: object) -> dict[str, object]:
    """The seed's nesting: the SDK merges the outer extra_body, the inner one goes on the wire."""
    return {"extra_body": {"google": {"thinking_config": thinking_config}}}


def test_it_answers_the_seed_reasoning_effort_example(base_url: str) -> None:
    client = OpenAI(api_key=KEY, base_url=base_url)

    response = client.chat.completions.create(
        model="gemini-3-flash-preview",
        reasoning_effort="low",
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Explain to me how AI works"},
        ],
    )

    assert "thinking: level low" in response.choices[0].message.content
    assert 200 < thinking_tokens_of(response.usage) < 1500


def test_it_answers_the_seed_thought_summary_example(base_url: str) -> None:
    client = OpenAI(api_key=KEY, base_url=base_url)

    response = client.chat.completions.create(
        model="gemini-3-flash-preview",
        messages=[{"role": "user", "content": "Explain to me how AI works"}],
        extra_body={
            "extra_body": {
                "google": {"thinking_config": {"thinking_level": "low", "include_thoughts": True}}
            }
        },
    )

    message = response.choices[0].message
    assert message.content.startswith("<thought>**")
    thought, answer = message.content.removeprefix("<thought>").split("</thought>")
    assert "Explain to me how AI works" in thought
    assert answer.startswith("*(Emulator reply")
    assert message.extra_content["google"]["thought"] is True
    assert message.extra_content["google"]["thought_signature"]


def test_it_sends_thoughts_in_curl_shaped_requests(base_url: str) -> None:
    body = {"model": "gemini-2.5-flash", "messages": ASK, **google(include_thoughts=True)}

    reply = post_raw(base_url, "chat/completions", body).json()

    message = reply["choices"][0]["message"]
    assert message["extra_content"] == {"google": {"thought": True}}
    assert message["content"].startswith("<thought>")


def test_it_streams_thoughts_first_then_the_answer(base_url: str) -> None:
    body = {
        "model": "gemini-2.5-flash",
        "messages": ASK,
        "stream": True,
        **google(thinking_budget=1024, include_thoughts=True),
    }

    chunks = stream_chunks(post_raw(base_url, "chat/completions", body).text)

    deltas = [chunk["choices"][0]["delta"] for chunk in chunks]
    flagged = [d.get("extra_content", {}).get("google", {}).get("thought") for d in deltas]
    thoughts = flagged.index(None)
    assert thoughts >= 2 and all(flagged[:thoughts]) and not any(flagged[thoughts:])
    assert deltas[0]["content"].startswith("<thought>")
    assert not any("<thought>" in d["content"] for d in deltas[1:])
    assert deltas[thoughts]["content"].startswith("</thought>")
    answer = "".join(d["content"] for d in deltas[thoughts:]).removeprefix("</thought>")
    assert answer.startswith("*(Emulator reply")
    assert "</thought>" not in answer


def test_it_thinks_much_more_at_high_than_at_low(sdk: OpenAI) -> None:
    def thinking(effort: str) -> int:
        response = sdk.chat.completions.create(
            model="gemini-3.1-pro-preview", messages=ASK, reasoning_effort=effort
        )
        return thinking_tokens_of(response.usage)

    low, medium, high = thinking("low"), thinking("medium"), thinking("high")
    assert low < 1500 < medium < 4000 < high


@pytest.mark.parametrize("budget", [1024, 8192, 24576])
def test_it_keeps_thinking_within_the_budget(sdk: OpenAI, budget: int) -> None:
    response = sdk.chat.completions.create(
        model="gemini-2.5-pro", messages=ASK, extra_body=google(thinking_budget=budget)
    )

    assert budget / 3 < thinking_tokens_of(response.usage) <= budget


def test_it_maps_reasoning_effort_to_a_budget_on_2_5(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(
        model="gemini-2.5-flash", messages=ASK, reasoning_effort="medium"
    )

    assert "thinking: budget 8,192" in response.choices[0].message.content


def test_it_maps_minimal_to_low_on_3_1_pro(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(
        model="gemini-3.1-pro-preview", messages=ASK, reasoning_effort="minimal"
    )

    assert "thinking: level low" in response.choices[0].message.content


def test_it_turns_thinking_off_with_none_on_2_5_flash(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(
        model="gemini-2.5-flash", messages=ASK, reasoning_effort="none"
    )

    assert thinking_tokens_of(response.usage) == 0


def test_it_does_not_think_by_default_on_2_5_flash_lite_nor_2_0_flash(sdk: OpenAI) -> None:
    for model in ("gemini-2.5-flash-lite", "gemini-2.0-flash"):
        response = sdk.chat.completions.create(model=model, messages=ASK)
        assert thinking_tokens_of(response.usage) == 0


def test_it_thinks_by_default_on_thinking_models(sdk: OpenAI) -> None:
    for model in ("gemini-3.1-pro-preview", "gemini-3-flash-preview", "gemini-2.5-pro"):
        response = sdk.chat.completions.create(model=model, messages=ASK)
        assert thinking_tokens_of(response.usage) > 0


def test_it_counts_the_thought_summary_as_thinking_not_completion(base_url: str) -> None:
    # One seed: without one each request is worded anew.
    plain = {
        "model": "gemini-2.5-flash",
        "messages": ASK,
        "seed": 5,
        **google(thinking_budget=2048),
    }
    with_thoughts = {
        **plain,
        **google(thinking_budget=2048, include_thoughts=True),
    }

    without = post_raw(base_url, "chat/completions", plain).json()
    with_summary = post_raw(base_url, "chat/completions", with_thoughts).json()

    assert without["usage"]["completion_tokens"] == with_summary["usage"]["completion_tokens"]
    assert "<thought>" not in json.dumps(without)
