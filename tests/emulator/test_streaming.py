"""Streaming: the seed page's example, and the event shapes the recordings show."""

from __future__ import annotations

import json
import subprocess

from openai import OpenAI

from tests.emulator.conftest import KEY, post_raw, sse_payloads, stream_chunks

ASK = [{"role": "user", "content": "Explain to me how AI works"}]


def stream_text(base_url: str, **body: object) -> str:
    response = post_raw(base_url, "chat/completions", {"messages": ASK, "stream": True, **body})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    return response.text


def test_it_streams_the_seed_example(base_url: str) -> None:
    client = OpenAI(api_key=KEY, base_url=base_url)

    response = client.chat.completions.create(
        model="gemini-3-flash-preview",
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Hello!"},
        ],
        stream=True,
    )
    deltas = [chunk.choices[0].delta for chunk in response]

    assert len(deltas) > 10
    text = "".join(delta.content or "" for delta in deltas)
    assert text.startswith("*(Emulator reply — made up locally, not from Gemini.)*")
    assert "“Hello!”" in text


def test_it_streams_the_seed_curl_example(base_url: str) -> None:
    body = {"model": "gemini-3-flash-preview", "messages": ASK, "stream": True}
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
            json.dumps(body),
        ],
        capture_output=True,
        text=True,
        check=True,
    )

    assert len(stream_chunks(result.stdout)) > 10


def test_it_writes_sorted_compact_chunks_ending_with_done(base_url: str) -> None:
    text = stream_text(base_url, model="gemini-2.5-flash-lite")

    payloads = sse_payloads(text)
    assert payloads[-1] == "[DONE]"
    for payload in payloads[:-1]:
        chunk = json.loads(payload)
        assert payload == json.dumps(
            chunk, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        assert chunk["object"] == "chat.completion.chunk"
        assert chunk["model"] == "gemini-2.5-flash-lite"
        assert "system_fingerprint" not in chunk and "logprobs" not in chunk["choices"][0]
    assert len({json.loads(p)["id"] for p in payloads[:-1]}) == 1


def test_it_repeats_the_role_and_sends_finish_reason_only_with_the_last_text(
    base_url: str,
) -> None:
    chunks = stream_chunks(stream_text(base_url, model="gemini-2.5-flash"))

    choices = [chunk["choices"][0] for chunk in chunks]
    assert all(choice["delta"]["role"] == "assistant" for choice in choices)
    assert all("finish_reason" not in choice for choice in choices[:-1])
    assert choices[-1]["finish_reason"] == "stop"
    assert choices[-1]["delta"]["content"]
    assert "".join(choice["delta"]["content"] for choice in choices).endswith("choice 1 of 1._")


def test_it_sends_no_usage_unless_asked(base_url: str) -> None:
    chunks = stream_chunks(stream_text(base_url, model="gemini-2.5-flash"))

    assert not any("usage" in chunk for chunk in chunks)


def test_it_sends_usage_on_the_final_chunk_when_asked(base_url: str) -> None:
    # One seed for both requests: without one, each request is worded anew.
    text = stream_text(
        base_url, model="gemini-2.5-flash", seed=3, stream_options={"include_usage": True}
    )

    chunks = stream_chunks(text)
    assert not any("usage" in chunk for chunk in chunks[:-1])
    usage = chunks[-1]["usage"]
    streamed = "".join(chunk["choices"][0]["delta"]["content"] for chunk in chunks)
    whole = post_raw(
        base_url, "chat/completions", {"model": "gemini-2.5-flash", "messages": ASK, "seed": 3}
    )
    assert usage == whole.json()["usage"]
    assert streamed == whole.json()["choices"][0]["message"]["content"]
    assert usage["total_tokens"] > usage["prompt_tokens"] + usage["completion_tokens"]


def test_it_streams_n_choices_each_with_its_own_finish(sdk: OpenAI) -> None:
    stream = sdk.chat.completions.create(model="gemini-2.0-flash", messages=ASK, n=2, stream=True)

    texts, finishes = {0: "", 1: ""}, {0: [], 1: []}
    for chunk in stream:
        choice = chunk.choices[0]
        texts[choice.index] += choice.delta.content or ""
        finishes[choice.index].append(choice.finish_reason)
    assert texts[0] != texts[1]
    for index in (0, 1):
        assert finishes[index][-1] == "stop"
        assert set(finishes[index][:-1]) == {None}


def test_it_streams_a_cut_reply_with_finish_reason_length(sdk: OpenAI) -> None:
    stream = sdk.chat.completions.create(
        model="gemini-2.0-flash",
        messages=ASK,
        max_tokens=9,
        stream=True,
        stream_options={"include_usage": True},
    )

    chunks = list(stream)
    assert chunks[-1].choices[0].finish_reason == "length"
    assert chunks[-1].usage.completion_tokens == 9


def test_it_signs_a_gemini_3_text_stream_in_a_trailing_delta(base_url: str) -> None:
    chunks = stream_chunks(stream_text(base_url, model="gemini-3.1-pro-preview"))

    last = chunks[-1]["choices"][0]
    assert last["delta"]["content"] is None
    signature = last["delta"]["extra_content"]["google"]["thought_signature"]
    assert len(signature) > 40
    assert last["finish_reason"] == "stop"
    assert all("extra_content" not in chunk["choices"][0]["delta"] for chunk in chunks[:-1])


def test_it_does_not_sign_a_gemini_2_5_text_stream(base_url: str) -> None:
    chunks = stream_chunks(stream_text(base_url, model="gemini-2.5-pro"))

    assert all(chunk["choices"][0]["delta"]["content"] is not None for chunk in chunks)
