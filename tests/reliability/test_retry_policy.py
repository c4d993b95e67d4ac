"""The openai SDK is the only retry loop, and it waits what Gemini asks, or not at all."""

from __future__ import annotations

import time

import httpx2
import pytest
from openai import AsyncOpenAI

from playground.llm.errors import UpstreamError
from playground.llm.retry_policy import retry_wait_hook
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply
from tests.reliability.serving import fault_log, fault_tag
from tests.servers import ServedPlayground


def spec(prompt: str) -> RunSpec:
    return RunSpec(
        provider="emulator", model="gemini-2.0-flash",
        messages=(Message(role="user", content=prompt),),
    )  # fmt: skip


async def run(prompt: str) -> tuple[str, UpstreamError | None]:
    text = []
    try:
        async for event in stream_reply(spec(prompt)):
            text.append(getattr(event, "text", ""))
    except UpstreamError as exc:
        return "".join(text), exc
    return "".join(text), None


async def test_it_retries_an_error_without_a_delay_as_often_as_configured(
    faulty_upstream: ServedPlayground, settings
) -> None:
    settings.UPSTREAM_MAX_RETRIES = 2
    tag = fault_tag()

    _, error = await run(f"hi [emulator-fault:429:{tag}]")

    assert error is not None and error.status_code == 429
    assert len(fault_log(faulty_upstream, tag)) == 3, "one request and two retries"


async def test_it_shows_a_long_requested_delay_at_once_instead_of_sitting_it_out(
    faulty_upstream: ServedPlayground, settings
) -> None:
    settings.UPSTREAM_MAX_RETRIES = 2
    tag = fault_tag()
    started = time.monotonic()

    _, error = await run(f"hi [emulator-fault:429-retry-37:{tag}]")

    assert error is not None and error.retry_after == 37.0
    assert "Please retry in 37s." in error.message
    assert len(fault_log(faulty_upstream, tag)) == 1, "not retried"
    assert time.monotonic() - started < 30, "the 37 s were not waited out"


async def test_it_waits_a_short_delay_named_only_in_the_body_before_retrying(
    faulty_upstream: ServedPlayground,
) -> None:
    tag = fault_tag()

    text, error = await run(f"hi [emulator-fault:429-retry-1-once:{tag}]")

    first, retry = fault_log(faulty_upstream, tag)
    assert error is None and text, "the retry got the reply"
    assert retry["at"] - first["at"] >= 0.9, "the SDK waited the second Gemini asked for"


async def test_no_retry_happens_when_retries_are_off(
    faulty_upstream: ServedPlayground, settings
) -> None:
    settings.UPSTREAM_MAX_RETRIES = 0
    tag = fault_tag()

    _, error = await run(f"hi [emulator-fault:503:{tag}]")

    assert error is not None and error.gemini_status == "UNAVAILABLE"
    assert len(fault_log(faulty_upstream, tag)) == 1


@pytest.mark.parametrize(("retry_after", "requests"), [("120", 1), ("0.05", 3)])
async def test_a_retry_after_header_is_waited_only_up_to_the_cap(
    settings, retry_after: str, requests: int
) -> None:
    settings.UPSTREAM_RETRY_MAX_WAIT_SECONDS = 5.0
    seen: list[httpx2.Request] = []

    def overloaded(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(503, headers={"Retry-After": retry_after}, json=[{"error": {}}])

    client = AsyncOpenAI(
        api_key="test", base_url="https://gemini.test/v1beta/openai/", max_retries=2,
        http_client=httpx2.AsyncClient(
            transport=httpx2.MockTransport(overloaded),
            event_hooks={"response": [retry_wait_hook]},
        ),
    )  # fmt: skip

    with pytest.raises(UpstreamError):
        async for _ in stream_reply(spec("hi"), client=client):
            pass

    assert len(seen) == requests
