"""A tool loop of several rounds through `stream_reply` (the openai SDK) against the emulator,
served over real HTTP: calls, results, answers, and Gemini 3's signature check."""

from __future__ import annotations

import pytest

from playground.llm.errors import UpstreamError
from playground.llm.runspec import Message, RunSpec
from playground.llm.streaming import stream_reply
from playground.llm.tooling import tool_error_result, tool_examples, tool_round_messages
from tests.llm.fakes import Reply, collect

WEATHER = next(example.value for example in tool_examples() if example.key == "weather")
MODELS = ["gemini-2.5-flash", "gemini-3-flash-preview"]


def asking(model: str, *, stream: bool) -> RunSpec:
    return RunSpec(
        provider="emulator",
        model=model,
        messages=(
            Message("system", "Answer from the tools."),
            Message("user", "What's the weather in Seoul and in Oslo?"),
        ),
        stream=stream,
        tools=(WEATHER,),  # type: ignore[arg-type]
    )


def signature_of(reply: Reply) -> dict | None:
    """The reply's own `extra_content` (a 2.5 message signature, a Gemini 3 text signature)."""
    return dict(reply.signatures[-1].extra_content) if reply.signatures else None


def answered(spec: RunSpec, reply: Reply, results: list[str]) -> RunSpec:
    results_by_id = dict(zip((c.call_id for c in reply.tool_calls), results, strict=True))
    turn = tool_round_messages(
        calls=reply.tool_calls, results=results_by_id, extra_content=signature_of(reply)
    )
    return spec.with_messages([*spec.messages, *turn])


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
@pytest.mark.parametrize("model", MODELS)
async def test_a_tool_loop_goes_several_rounds(emulator_url: str, model: str, stream: bool) -> None:
    spec = asking(model, stream=stream)

    calls = await collect(stream_reply(spec))
    assert [(c.name, c.arguments) for c in calls.tool_calls] == [
        ("get_weather", '{"location":"Seoul"}'),
        ("get_weather", '{"location":"Oslo"}'),
    ]
    assert calls.finishes == {0: "tool_calls"}
    if model.startswith("gemini-3"):
        assert calls.tool_calls[0].thought_signature and not calls.tool_calls[1].thought_signature

    spec = answered(spec, calls, ["Sunny, 24 °C", tool_error_result("station offline")])
    answer = await collect(stream_reply(spec))
    assert "returned “Sunny, 24 °C”" in answer.answer
    assert "reported an error" in answer.answer
    assert not answer.tool_calls

    follow_up = Message("user", "And what about Paris?")
    said = Message("assistant", answer.answer, extra_content=signature_of(answer))
    spec = spec.with_messages([*spec.messages, said, follow_up])
    again = await collect(stream_reply(spec))
    assert [(c.name, c.arguments) for c in again.tool_calls] == [
        ("get_weather", '{"location":"Paris"}')
    ]

    spec = answered(spec, again, ["Rain, 12 °C"])
    last = await collect(stream_reply(spec))
    assert '`get_weather` with `{"location":"Paris"}` returned “Rain, 12 °C”' in last.answer


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
async def test_a_dropped_signature_comes_back_as_geminis_400(
    emulator_url: str, stream: bool
) -> None:
    spec = asking("gemini-3-flash-preview", stream=stream)
    reply = await collect(stream_reply(spec))
    first, second = reply.tool_calls
    stripped = [
        type(first)(first.choice, 0, first.call_id, first.name, first.arguments, None),
        second,
    ]
    turn = tool_round_messages(
        calls=stripped, results={first.call_id: "Sunny", second.call_id: "Cold"}
    )

    with pytest.raises(UpstreamError) as raised:
        await collect(stream_reply(spec.with_messages([*spec.messages, *turn])))

    error = raised.value
    assert (error.status_code, error.gemini_status) == (400, "INVALID_ARGUMENT")
    assert error.message.startswith(
        "Function call is missing a thought_signature in functionCall parts."
    )
    assert "function call default_api:get_weather , position 2." in error.message
