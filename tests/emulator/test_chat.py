"""Non-streaming chat completions: the seed page's examples and the reply's behaviour."""

from __future__ import annotations

import base64
import json
import re
import subprocess

from openai import OpenAI

from tests.emulator.conftest import KEY, post_raw
from tests.media import files

DISCLAIMER = "*(Emulator reply — made up locally, not from Gemini.)*"
ASK = [{"role": "user", "content": "Explain to me how AI works"}]


def test_it_answers_the_seed_chat_example(base_url: str) -> None:
    client = OpenAI(api_key=KEY, base_url=base_url)

    response = client.chat.completions.create(
        model="gemini-3-flash-preview",
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Explain to me how AI works"},
        ],
    )

    message = response.choices[0].message
    assert message.role == "assistant"
    assert message.content.startswith(DISCLAIMER)
    assert "“Explain to me how AI works”" in message.content
    assert "“You are a helpful assistant.”" in message.content
    assert len(message.content) > 300
    assert response.choices[0].finish_reason == "stop"


def test_it_answers_the_seed_curl_chat_example(base_url: str) -> None:
    body = {
        "model": "gemini-3-flash-preview",
        "messages": [{"role": "user", "content": "Explain to me how AI works"}],
    }
    result = subprocess.run(
        [
            "curl",
            "-sS",
            base_url + "chat/completions",
            "-H",
            "Content-Type: application/json",
            "-H",
            f"Authorization: Bearer {KEY}",
            "-d",
            json.dumps(body, indent=2),
        ],
        capture_output=True,
        text=True,
        check=True,
    )

    reply = json.loads(result.stdout)
    assert reply["choices"][0]["message"]["content"].startswith(DISCLAIMER)


def test_it_shapes_the_reply_as_the_recording_does(base_url: str) -> None:
    response = post_raw(
        base_url, "chat/completions", {"model": "gemini-2.5-flash", "messages": ASK}
    )

    reply = response.json()
    assert response.headers["content-type"].startswith("application/json")
    assert list(reply) == ["choices", "created", "id", "model", "object", "usage"]
    assert response.text == json.dumps(
        reply, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert reply["object"] == "chat.completion"
    assert reply["model"] == "gemini-2.5-flash"
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,24}", reply["id"])
    assert reply["choices"][0].keys() == {"finish_reason", "index", "message"}
    assert reply["choices"][0]["message"].keys() == {"content", "role"}
    assert reply["usage"].keys() == {"completion_tokens", "prompt_tokens", "total_tokens"}


def test_it_echoes_the_model_as_given(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(model="models/gemini-2.5-flash", messages=ASK)

    assert response.model == "models/gemini-2.5-flash"


def test_it_counts_thinking_tokens_only_in_the_total(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(model="gemini-2.5-flash", messages=ASK)

    usage = response.usage
    thinking = usage.total_tokens - usage.prompt_tokens - usage.completion_tokens
    assert thinking > 0
    assert usage.completion_tokens_details is None


def test_it_gives_the_same_reply_to_the_same_request(sdk: OpenAI) -> None:
    first = sdk.chat.completions.create(model="gemini-2.5-flash", messages=ASK, seed=7)
    second = sdk.chat.completions.create(model="gemini-2.5-flash", messages=ASK, seed=7)

    assert first.choices[0].message.content == second.choices[0].message.content
    assert first.usage == second.usage
    assert first.id != second.id


def test_repeats_without_a_seed_differ_as_a_model_s_would(sdk: OpenAI) -> None:
    replies = [
        sdk.chat.completions.create(model="gemini-2.5-flash", messages=ASK) for _ in range(3)
    ]

    assert len({reply.choices[0].message.content for reply in replies}) == 3
    assert len({reply.usage.total_tokens for reply in replies}) > 1


def test_it_words_the_reply_differently_for_another_seed_or_temperature(sdk: OpenAI) -> None:
    contents = {
        sdk.chat.completions.create(
            model="gemini-2.5-flash", messages=ASK, seed=seed, temperature=temperature
        )
        .choices[0]
        .message.content
        for seed, temperature in [(1, 1.0), (2, 1.0), (3, 1.0), (1, 0.2), (1, 1.7)]
    }

    assert len(contents) == 5


def test_it_gives_n_different_choices(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(model="gemini-2.0-flash", messages=ASK, n=3)

    assert [choice.index for choice in response.choices] == [0, 1, 2]
    assert len({choice.message.content for choice in response.choices}) == 3
    assert "choice 3 of 3" in response.choices[2].message.content


def test_it_cuts_the_reply_at_max_tokens_with_finish_reason_length(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(model="gemini-2.0-flash", messages=ASK, max_tokens=12)
    full = sdk.chat.completions.create(model="gemini-2.0-flash", messages=ASK)

    choice = response.choices[0]
    assert choice.finish_reason == "length"
    assert response.usage.completion_tokens == 12
    assert full.choices[0].message.content.startswith(choice.message.content)
    assert len(choice.message.content) < 80


def test_it_honours_max_completion_tokens_too(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(
        model="gemini-2.0-flash", messages=ASK, max_completion_tokens=5
    )

    assert response.choices[0].finish_reason == "length"
    assert response.usage.completion_tokens == 5


def test_it_stops_before_a_stop_sequence(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(
        model="gemini-2.0-flash", messages=ASK, stop=["You asked"]
    )

    choice = response.choices[0]
    assert choice.finish_reason == "stop"
    assert choice.message.content == DISCLAIMER + "\n\n"


def test_it_counts_the_turns_and_honours_only_the_last_system_message(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(
        model="gemini-2.5-flash-lite",
        messages=[
            {"role": "system", "content": "Answer in French."},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello!"},
            {"role": "developer", "content": "Answer like a pirate."},
            {"role": "user", "content": [{"type": "text", "text": "What is a list?"}]},
        ],
    )

    content = response.choices[0].message.content
    assert "This is turn 2" in content
    assert "“Answer like a pirate.”" in content
    assert "French" not in content
    assert "“What is a list?”" in content


def test_it_writes_markdown_when_asked_for_a_table_or_code(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(
        model="gemini-2.5-flash",
        messages=[{"role": "user", "content": "Give me a markdown table and some code"}],
    )

    content = response.choices[0].message.content
    assert re.search(r"^- \*\*Question:\*\*", content, re.MULTILINE)
    assert "| Setting | Value |\n| --- | --- |" in content
    assert re.search(r"```python\n.+\n```", content, re.DOTALL)


def test_it_writes_plain_prose_when_no_formatting_is_asked_for(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(model="gemini-2.5-flash", messages=ASK)

    content = response.choices[0].message.content
    assert "```" not in content and "| --- |" not in content


def test_it_acknowledges_attachments_by_type(sdk: OpenAI) -> None:
    pixel = "data:image/png;base64," + base64.b64encode(files.picture((1, 1))).decode()
    sound = base64.b64encode(files.wav(0.25, rate=8000)).decode()
    response = sdk.chat.completions.create(
        model="gemini-2.5-flash",
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in these?"},
                    {"type": "image_url", "image_url": {"url": pixel}},
                    {"type": "image_url", "image_url": {"url": pixel}},
                    {"type": "input_audio", "input_audio": {"data": sound, "format": "wav"}},
                ],
            }
        ],
    )

    assert "(2 images, 1 audio clip attached.)" in response.choices[0].message.content


def test_it_echoes_the_service_tier(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(
        model="gemini-3-flash-preview",
        messages=[{"role": "user", "content": "Write a short poem about clouds."}],
        service_tier="priority",
    )

    assert response.service_tier == "priority"


def test_it_returns_a_json_object_that_says_it_is_made_up(sdk: OpenAI) -> None:
    response = sdk.chat.completions.create(
        model="gemini-2.5-flash", messages=ASK, response_format={"type": "json_object"}
    )

    value = json.loads(response.choices[0].message.content)
    assert "made up locally" in value["note"]
    assert value["question"] == "Explain to me how AI works"


def test_it_takes_a_request_larger_than_djangos_form_upload_limit(sdk: OpenAI) -> None:
    # A few megabytes of inline image is an ordinary Gemini request.
    noise = files.noise_png((1200, 1200))  # about 4 MB
    big_image = "data:image/png;base64," + base64.b64encode(noise).decode()
    response = sdk.chat.completions.create(
        model="gemini-2.5-flash",
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Describe this"},
                    {"type": "image_url", "image_url": {"url": big_image}},
                ],
            }
        ],
    )

    assert "(1 image attached.)" in response.choices[0].message.content
