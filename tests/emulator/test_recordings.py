"""The emulator's answers have the shapes of recorded Gemini answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.emulator.conftest import post_raw, stream_chunks

RECORDINGS = Path(__file__).parent / "recordings"
ASK = [{"role": "user", "content": "Say hello"}]


def recorded(name: str) -> Any:
    return json.loads((RECORDINGS / name).read_text(encoding="utf-8"))


def recorded_chunks(name: str) -> list[dict[str, Any]]:
    lines = (RECORDINGS / name).read_text(encoding="utf-8").splitlines()
    payloads = [line.removeprefix("data: ") for line in lines if line.startswith("data: {")]
    return [json.loads(payload) for payload in payloads]


def skeleton(value: Any, prefix: str = "") -> set[str]:
    """Every key path in a JSON value, list positions ignored."""
    if isinstance(value, dict):
        paths = set()
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths |= {path} | skeleton(item, path)
        return paths
    if isinstance(value, list):
        return set().union(*(skeleton(item, prefix) for item in value))
    return set()


def thoughts(**config: object) -> dict[str, object]:
    return {"extra_body": {"google": {"thinking_config": {"include_thoughts": True, **config}}}}


def test_it_shapes_a_plain_reply_as_recorded(base_url: str) -> None:
    body = {"model": "models/gemini-2.5-flash", "messages": ASK}

    reply = post_raw(base_url, "chat/completions", body).json()

    recording = recorded("chat_nonstream_text_gemini-2.5-flash_intellyrouter.json")
    assert skeleton(reply) == skeleton(recording)
    assert reply["model"] == recording["model"]
    assert len(reply["id"]) == len(recording["id"])


def test_it_shapes_a_reply_with_thoughts_as_recorded(base_url: str) -> None:
    body = {"model": "gemini-2.5-flash", "messages": ASK, **thoughts()}

    message = post_raw(base_url, "chat/completions", body).json()["choices"][0]["message"]

    recording = recorded("chat_nonstream_thoughts_codecompanion-stub_EDITED-dummy.json")
    recorded_message = recording["choices"][0]["message"]
    assert skeleton(message) == skeleton(recorded_message)
    assert message["content"].startswith("<thought>")
    assert message["content"].count("</thought>") == recorded_message["content"].count("</thought>")


def test_it_shapes_a_text_stream_as_recorded(base_url: str) -> None:
    body = {"model": "gemini-2.5-flash-lite", "messages": ASK, "stream": True}

    chunks = stream_chunks(post_raw(base_url, "chat/completions", body).text)

    recording = recorded_chunks("stream_text_gemini-2.5-flash-lite_agui-llm-rs.sse")
    assert {frozenset(skeleton(c)) for c in chunks[:-1]} == {
        frozenset(skeleton(c)) for c in recording[:-1]
    }
    assert skeleton(chunks[-1]) == skeleton(recording[-1])


def test_it_shapes_a_stream_with_thoughts_as_recorded(base_url: str) -> None:
    body = {"model": "gemini-2.5-flash", "messages": ASK, "stream": True, **thoughts()}

    chunks = stream_chunks(post_raw(base_url, "chat/completions", body).text)

    recording = recorded_chunks("stream_thoughts_codecompanion-stub_EDITED-dummy.sse")
    first_answer = next(c for c in chunks if "</thought>" in c["choices"][0]["delta"]["content"])
    assert skeleton(chunks[0]["choices"]) == skeleton(recording[0]["choices"])
    assert skeleton(first_answer["choices"]) == skeleton(recording[1]["choices"])
    assert chunks[0]["choices"][0]["delta"]["content"].startswith("<thought>")
    assert first_answer["choices"][0]["delta"]["content"].startswith("</thought>")


def test_it_words_an_unknown_model_as_recorded(base_url: str) -> None:
    body = {"model": "no-such-model-xyz", "messages": ASK}

    response = post_raw(base_url, "chat/completions", body)

    assert response.status_code == 404
    assert response.json() == recorded("error_404_invalid_model_intellyrouter.json")


def test_it_words_a_top_level_google_key_as_recorded(base_url: str) -> None:
    body = {"model": "gemini-2.5-flash", "messages": ASK, "google": {}}

    response = post_raw(base_url, "chat/completions", body)

    assert response.status_code == 400
    assert response.json() == recorded(
        "error_400_unknown_field_google_free-claude-code-issue-542.json"
    )
