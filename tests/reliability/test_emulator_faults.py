"""The emulator's test-only fault injection, seen from an openai client."""

from __future__ import annotations

import json
import time

import httpx2
import openai
import pytest
from django.test import Client

from tests.reliability.serving import fault_log, fault_tag
from tests.servers import ServedPlayground

MODEL = "gemini-2.5-flash"
THOUGHTS = {"extra_body": {"google": {"thinking_config": {"include_thoughts": True}}}}


def sdk(server: ServedPlayground, timeout: float = 5.0) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        api_key="test", base_url=server.emulator_url, max_retries=0,
        timeout=httpx2.Timeout(timeout, connect=5.0),
    )  # fmt: skip


async def read_stream(
    client: openai.AsyncOpenAI, prompt: str
) -> tuple[list[dict], Exception | None]:
    """The chunks that arrived, and the error that ended the stream (if one did)."""
    chunks: list[dict] = []
    try:
        stream = await client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": prompt}], stream=True,
            stream_options={"include_usage": True}, extra_body=THOUGHTS,
        )  # fmt: skip
        async with stream:
            async for chunk in stream:
                chunks.append(chunk.to_dict())
    except Exception as exc:
        return chunks, exc
    return chunks, None


def answer_of(chunks: list[dict]) -> str:
    return "".join(
        c["choices"][0]["delta"].get("content") or "" for c in chunks if c.get("choices")
    )


def finished(chunks: list[dict]) -> bool:
    return any(c["choices"][0].get("finish_reason") for c in chunks if c.get("choices"))


@pytest.mark.django_db
def test_it_ignores_markers_unless_faults_are_switched_on(settings) -> None:
    settings.EMULATOR_FAULTS_ENABLED = False
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hi [emulator-fault:500]"}]}
    client = Client(headers={"Authorization": "Bearer test"})

    reply = client.post("/emulator/v1beta/openai/chat/completions", json.dumps(body),
                        content_type="application/json")  # fmt: skip
    log = client.get("/emulator/v1beta/openai/_faults")

    assert reply.status_code == 200
    assert "emulator-fault" in reply.json()["choices"][0]["message"]["content"]
    assert log.status_code == 404


@pytest.mark.parametrize(
    ("kind", "status", "gemini_status"),
    [("429", 429, "RESOURCE_EXHAUSTED"), ("500", 500, "INTERNAL"), ("503", 503, "UNAVAILABLE")],
)
async def test_it_answers_status_faults_in_geminis_error_shape(
    served_faulty: ServedPlayground, kind: str, status: int, gemini_status: str
) -> None:
    chunks, error = await read_stream(sdk(served_faulty), f"hi [emulator-fault:{kind}]")

    assert not chunks
    assert isinstance(error, openai.APIStatusError) and error.status_code == status
    assert isinstance(error.body, list) and error.body[0]["error"]["status"] == gemini_status


async def test_a_quota_fault_can_ask_to_wait(served_faulty: ServedPlayground) -> None:
    _, error = await read_stream(sdk(served_faulty), "hi [emulator-fault:429-retry-37]")

    assert isinstance(error, openai.RateLimitError)
    details = error.body[0]["error"]["details"]
    assert "Please retry in 37s." in error.body[0]["error"]["message"]
    assert {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"} in details


@pytest.mark.parametrize(
    ("kind", "failure"),
    [
        ("reset", openai.APIConnectionError),
        ("stall", openai.APITimeoutError),
        ("malformed", ValueError),
        ("no-done", None),
    ],
)
async def test_broken_streams_send_some_answer_then_break(
    served_faulty: ServedPlayground, kind: str, failure: type[Exception] | None
) -> None:
    prompt = f"Rivers? [emulator-fault:{kind}]"
    chunks, error = await read_stream(sdk(served_faulty, timeout=1.5), prompt)

    assert "</thought>" in answer_of(chunks), "the answer had begun"
    assert not finished(chunks), "no finish_reason ever came"
    if failure is None:
        assert error is None, "the body simply ended"
    else:
        assert isinstance(error, failure), error


async def test_a_reset_is_a_real_connection_reset(served_faulty: ServedPlayground) -> None:
    tag = fault_tag()
    await read_stream(sdk(served_faulty), f"Rivers? [emulator-fault:reset:{tag}]")

    (entry,) = fault_log(served_faulty, tag)
    assert entry["ended"] == "reset" and entry["closed_at"] >= entry["at"]


async def test_a_big_chunk_carries_a_megabyte_and_the_stream_ends_normally(
    served_faulty: ServedPlayground,
) -> None:
    chunks, error = await read_stream(sdk(served_faulty), "Rivers? [emulator-fault:big-chunk]")

    biggest = max(len(c["choices"][0]["delta"].get("content") or "") for c in chunks)
    assert error is None and finished(chunks)
    assert biggest >= 1_000_000


async def test_slow_thinking_trickles_thoughts_before_the_answer(
    served_faulty: ServedPlayground,
) -> None:
    started = time.monotonic()
    chunks, error = await read_stream(sdk(served_faulty), "Why? [emulator-fault:slow-thinking]")

    text = answer_of(chunks)
    assert error is None and finished(chunks)
    assert text.startswith("<thought>Still thinking, step 1.") and "</thought>" in text
    assert time.monotonic() - started >= 2.0, "the thinking took its time"


async def test_a_counted_stream_numbers_its_chunks(served_faulty: ServedPlayground) -> None:
    chunks, error = await read_stream(sdk(served_faulty), "Count [emulator-fault:count-40]")

    assert error is None
    assert answer_of(chunks).split() == [f"w{n}" for n in range(1, 41)]


async def test_a_once_fault_fails_the_first_request_only(served_faulty: ServedPlayground) -> None:
    tag = fault_tag()
    client = sdk(served_faulty)

    _, first = await read_stream(client, f"hi [emulator-fault:503-once:{tag}]")
    second, error = await read_stream(client, f"hi [emulator-fault:503-once:{tag}]")

    assert isinstance(first, openai.InternalServerError) and error is None and finished(second)
    assert [entry["ended"] for entry in fault_log(served_faulty, tag)] == [None, "answered"]


async def test_only_the_last_user_message_asks_for_a_fault(served_faulty: ServedPlayground) -> None:
    reply = await sdk(served_faulty).chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "user", "content": "hi [emulator-fault:500]"},
            {"role": "assistant", "content": "Hello."},
            {"role": "user", "content": "And now?"},
        ],
    )

    assert reply.choices[0].finish_reason == "stop"
