from __future__ import annotations

import httpx2
import pytest

from playground.llm.errors import UpstreamError, error_from_body, upstream_error_from
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply
from tests.llm.fakes import collect, fake_client
from tests.llm.recordings import json_of, recording_names, text_of

SPEC = RunSpec(provider="gemini", model="gemini-2.5-flash", messages=(Message("user", "Hi"),))

QUOTA_WITH_RETRY_INFO = [
    {
        "error": {
            "code": 429,
            "message": "You exceeded your current quota, please check your plan and billing.",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []},
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "11s"},
            ],
        }
    }
]
QUOTA_WITH_TEXT_ONLY = [
    {
        "error": {
            "code": 429,
            "message": "Quota exceeded for metric generate_content_free_tier_requests. "
            "Please retry in 11.66s.",
            "status": "RESOURCE_EXHAUSTED",
        }
    }
]


def recorded_error(name: str) -> tuple[int, dict]:
    body = json_of(name)
    return int(name.split("_")[1]), body[0]["error"]


@pytest.mark.parametrize("name", recording_names("error_*.json"))
def test_it_reads_gemini_list_wrapped_errors(name: str) -> None:
    status, expected = recorded_error(name)

    error = error_from_body(status, text_of(name))

    assert error.message == expected["message"]
    assert error.status_code == status == expected["code"]
    assert error.gemini_status == expected["status"]
    assert error.kind == "http"
    assert str(error).startswith(f"{status} {expected['status']}: ")


@pytest.mark.parametrize("name", recording_names("error_*.json"))
async def test_it_raises_gemini_error_messages_through_the_sdk(name: str) -> None:
    status, expected = recorded_error(name)
    client = fake_client(lambda request: httpx2.Response(status, content=text_of(name)))

    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(SPEC, client=client))

    assert raised.value.message == expected["message"]
    assert raised.value.status_code == status
    assert raised.value.gemini_status == expected["status"]


async def test_it_reads_the_message_in_a_non_streamed_error_too() -> None:
    status, _ = recorded_error("error_404_invalid_model_intellyrouter.json")
    body = text_of("error_404_invalid_model_intellyrouter.json")
    client = fake_client(lambda request: httpx2.Response(status, content=body))
    spec = RunSpec(
        provider="gemini", model="no-such-model-xyz", messages=SPEC.messages, stream=False
    )

    with pytest.raises(UpstreamError, match="is not found for API version"):
        await collect(stream_reply(spec, client=client))


def test_it_takes_the_retry_delay_from_retry_info() -> None:
    error = error_from_body(429, QUOTA_WITH_RETRY_INFO)

    assert error.retry_after == 11.0
    assert error.gemini_status == "RESOURCE_EXHAUSTED"
    assert error.is_retryable


def test_it_takes_the_retry_delay_from_the_message_text() -> None:
    error = error_from_body(429, QUOTA_WITH_TEXT_ONLY)

    assert error.retry_after == 11.66
    assert error.message.endswith("Please retry in 11.66s.")


async def test_it_keeps_the_retry_delay_through_the_sdk() -> None:
    client = fake_client(lambda request: httpx2.Response(429, json=QUOTA_WITH_RETRY_INFO))

    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(SPEC, client=client))

    assert raised.value.status_code == 429
    assert raised.value.retry_after == 11.0


def test_it_falls_back_to_the_retry_after_header() -> None:
    error = error_from_body(503, b"", headers={"Retry-After": "7"})

    assert error.retry_after == 7.0
    assert error.message == "The endpoint answered HTTP 503."
    assert error.gemini_status == "UNAVAILABLE"


def test_it_reads_openai_style_error_objects() -> None:
    error = error_from_body(401, {"error": {"message": "Incorrect API key.", "type": "auth"}})

    assert error.message == "Incorrect API key."
    assert error.gemini_status == "UNAUTHENTICATED"


async def test_it_shows_a_plain_text_error_body_as_it_came() -> None:
    client = fake_client(lambda request: httpx2.Response(502, text="upstream overloaded\n"))

    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(SPEC, client=client))

    assert raised.value.message == "upstream overloaded"
    assert raised.value.status_code == 502
    assert raised.value.is_retryable


async def test_it_does_not_show_an_html_error_page() -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    client = fake_client(lambda request: httpx2.Response(502, html=page))

    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(SPEC, client=client))

    assert raised.value.message == "The endpoint answered HTTP 502."


async def test_it_reports_a_timeout() -> None:
    def time_out(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("timed out", request=request)

    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(SPEC, client=fake_client(time_out)))

    assert raised.value.kind == "timeout"
    assert raised.value.status_code is None
    assert raised.value.is_retryable


async def test_it_reports_an_unreachable_endpoint() -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("[Errno 111] Connection refused", request=request)

    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(SPEC, client=fake_client(refuse)))

    assert raised.value.kind == "connection"
    assert "Connection refused" in raised.value.message


def test_it_passes_an_upstream_error_through_unchanged() -> None:
    error = UpstreamError("already mapped", kind="malformed")

    assert upstream_error_from(error) is error


def test_it_serialises_for_storage() -> None:
    error = error_from_body(429, QUOTA_WITH_RETRY_INFO)

    assert error.as_dict() == {
        "message": "You exceeded your current quota, please check your plan and billing.",
        "status_code": 429,
        "gemini_status": "RESOURCE_EXHAUSTED",
        "retry_after": 11.0,
        "kind": "http",
    }
