"""The emulator's function calls have the shapes of recorded Gemini function calls."""

from __future__ import annotations

from typing import Any

from tests.emulator.test_recordings import RECORDINGS, recorded_chunks, skeleton
from tests.emulator.tool_requests import chat, message_of, streamed
from tests.llm.recordings import read_block_yaml

CITY_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
FILE_SEARCH = {
    "type": "function",
    "function": {
        "name": "file_search",
        "description": "Find files",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string"}},
            "required": ["query"],
        },
    },
}


def cassette() -> list[dict[str, Any]]:
    text = (RECORDINGS / "chat_nonstream_toolcall_pydantic-ai_2025-06.yaml").read_text()
    return read_block_yaml(text)["interactions"]


def test_a_gemini_2_5_call_streams_as_recorded(base_url: str) -> None:
    asked = [{"role": "user", "content": "What is the weather in Seoul?"}]

    chunks = streamed(
        base_url,
        model="models/gemini-2.5-flash",
        messages=asked,
        tools=[CITY_TOOL],
        stream_options={"include_usage": True},
    )

    [recording] = recorded_chunks("stream_toolcall_gemini-2.5-flash_intellyrouter.sse")
    assert [skeleton(chunk) for chunk in chunks] == [skeleton(recording)]


def test_parallel_calls_stream_as_recorded(base_url: str) -> None:
    asked = [{"role": "user", "content": "What is the weather in Seoul and Oslo?"}]

    chunks = streamed(base_url, model="gemini-2.5-flash-lite", messages=asked, tools=[CITY_TOOL])

    [recording] = recorded_chunks("stream_parallel_toolcalls_gemini-2.5-flash-lite_agui-llm-rs.sse")
    assert [skeleton(chunk) for chunk in chunks] == [skeleton(recording)]
    ours = [c["function"] for c in chunks[0]["choices"][0]["delta"]["tool_calls"]]
    theirs = [c["function"] for c in recording["choices"][0]["delta"]["tool_calls"]]
    assert ours == theirs  # same names, same arguments, byte for byte


def test_a_signed_gemini_3_call_streams_as_recorded(base_url: str) -> None:
    asked = [{"role": "user", "content": 'Search for "README.md"'}]

    chunks = streamed(
        base_url,
        model="gemini-3-flash-preview",
        messages=asked,
        tools=[FILE_SEARCH],
        stream_options={"include_usage": True},
    )

    [recording] = recorded_chunks(
        "stream_toolcall_signature_gemini-3-pro-preview_codecompanion-stub_sigedited.sse"
    )
    delta, recorded_delta = chunks[0]["choices"][0]["delta"], recording["choices"][0]["delta"]
    assert skeleton(delta) == skeleton(recorded_delta)
    assert delta["tool_calls"][0]["function"] == recorded_delta["tool_calls"][0]["function"]
    # The stub stops before the final chunk; the usage it shows is the wire's.
    assert skeleton(chunks[-1]) - {"choices.finish_reason"} == skeleton(recording)


def test_a_whole_gemini_2_5_tool_loop_is_shaped_as_recorded(base_url: str) -> None:
    first, second = cassette()
    request = {**first["request"]["parsed_body"], "model": "gemini-2.5-pro"}

    calling = chat(base_url, **request)

    recorded_reply = first["response"]["parsed_body"]
    assert skeleton(calling) == skeleton(recorded_reply)
    assert message_of(calling)["tool_calls"] == message_of(recorded_reply)["tool_calls"]
    assert calling["choices"][0]["finish_reason"] == "tool_calls"

    answering = chat(base_url, **{**second["request"]["parsed_body"], "model": "gemini-2.5-pro"})

    recorded_answer = second["response"]["parsed_body"]
    assert skeleton(answering) == skeleton(recorded_answer)
    assert "`get_current_time` returned “Noon”" in message_of(answering)["content"]
