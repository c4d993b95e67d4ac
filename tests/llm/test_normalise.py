from __future__ import annotations

from typing import Any

import pytest

from playground.llm.errors import UpstreamError
from playground.llm.events import (
    AnswerDelta,
    FinishEvent,
    SignatureEvent,
    ThoughtDelta,
    ToolCallEvent,
    UsageEvent,
)
from playground.llm.normalise import StreamNormaliser, normalise_message
from tests.llm.fakes import Reply

THOUGHT = {"google": {"thought": True}}


def delta(content: str | None = None, *, thought: bool = False, **fields: Any) -> dict:
    part: dict[str, Any] = {"role": "assistant", **fields}
    if content is not None:
        part["content"] = content
    if thought:
        part["extra_content"] = THOUGHT
    return part


def chunk(*deltas: dict, finish: str | None = None, usage: dict | None = None) -> dict:
    choices = []
    for index, part in enumerate(deltas):
        choice: dict[str, Any] = {"delta": part, "index": index}
        if finish:
            choice["finish_reason"] = finish
        choices.append(choice)
    data: dict[str, Any] = {"choices": choices, "object": "chat.completion.chunk"}
    if usage:
        data["usage"] = usage
    return data


def run(*chunks: dict, id_prefix: str = "call_test") -> Reply:
    normaliser = StreamNormaliser(id_prefix=id_prefix)
    events = [event for data in chunks for event in normaliser.feed(data)]
    return Reply(events + normaliser.flush())


def thought_stream(*pieces: tuple[str, bool]) -> Reply:
    return run(
        *(chunk(delta(text, thought=flagged)) for text, flagged in pieces), chunk(finish="stop")
    )


@pytest.mark.parametrize(
    "pieces",
    [
        [("<thought>Plan", True), (" more", True), ("</thought>Answer", False)],
        [
            ("<tho", True),
            ("ught>Plan", True),
            (" more", True),
            ("</th", False),
            ("ought>Answer", False),
        ],
        [("<thought>Plan more</thought>", True), ("Answer", False)],
        [("<thought>Plan more</tho", True), ("ught>Answer", False)],
        [("<thought>Plan more<", True), ("/thought>Answer", False)],
        [("<thought>Plan more</thought>Answer", True)],
        [
            ("<", True),
            ("thought>", True),
            ("Plan more", True),
            ("</thought>", False),
            ("Answer", False),
        ],
    ],
)
def test_it_strips_thought_tags_however_they_are_split(pieces: list[tuple[str, bool]]) -> None:
    reply = thought_stream(*pieces)

    assert reply.thought == "Plan more"
    assert reply.answer == "Answer"


def test_a_thought_only_reply_may_lack_the_closing_tag() -> None:
    reply = thought_stream(("<thought>Only thinking", True), (" here", True))

    assert reply.thought == "Only thinking here"
    assert reply.answer == ""


def test_an_answer_that_starts_without_a_closing_tag_ends_the_thought() -> None:
    reply = thought_stream(("<thought>Plan", True), ("Answer", False))

    assert (reply.thought, reply.answer) == ("Plan", "Answer")


def test_a_less_than_sign_in_a_thought_is_kept() -> None:
    reply = thought_stream(("<thought>a <", True), (" b", True), ("</thought>c < d", False))

    assert (reply.thought, reply.answer) == ("a < b", "c < d")


def test_thought_deltas_come_before_the_answer_in_order() -> None:
    reply = thought_stream(("<thought>A", True), ("B", True), ("</thought>C", False), ("D", False))

    assert [type(e).__name__ for e in reply.events[:4]] == [
        "ThoughtDelta",
        "ThoughtDelta",
        "AnswerDelta",
        "AnswerDelta",
    ]


def test_a_flagged_answer_without_tags_is_answer_text() -> None:
    # Gemini flags plain answers that carry a signature as "thought" too.
    extra = {"google": {"thought": True, "thought_signature": "Sig"}}
    reply = run(chunk(delta("The time is noon.", extra_content=extra), finish="stop"))

    assert (reply.thought, reply.answer) == ("", "The time is noon.")
    assert reply.signatures == [SignatureEvent(0, extra)]


def test_a_trailing_signature_delta_is_kept_verbatim() -> None:
    extra = {"google": {"thought_signature": "Ci0B"}, "other": [1, 2]}
    reply = run(
        chunk(delta("Hi")),
        chunk({"content": None, "role": "assistant", "extra_content": extra}, finish="stop"),
    )

    assert reply.answer == "Hi"
    assert reply.signatures[0].extra_content is extra
    assert reply.signatures[0].thought_signature == "Ci0B"


def test_thought_flags_without_a_signature_are_not_signatures() -> None:
    reply = thought_stream(("<thought>x", True), ("</thought>y", False))

    assert reply.signatures == []


def test_it_passes_non_standard_finish_reasons_on() -> None:
    reply = run(chunk(delta("x"), finish="function_call_filter: MALFORMED_FUNCTION_CALL"))

    assert reply.finishes == {0: "function_call_filter: MALFORMED_FUNCTION_CALL"}


def test_a_non_standard_finish_reason_with_null_content_comes_through_intact() -> None:
    normaliser = StreamNormaliser()
    events = normaliser.feed(chunk(delta("Let me call")))
    events += normaliser.feed(
        {
            "choices": [
                {
                    "index": 0,
                    "delta": {"content": None, "role": "assistant"},
                    "finish_reason": "function_call_filter: MALFORMED_FUNCTION_CALL",
                }
            ]
        }
    )

    assert events == [
        AnswerDelta("Let me call", 0),
        FinishEvent(0, "function_call_filter: MALFORMED_FUNCTION_CALL"),
    ]
    assert normaliser.unfinished() == [], "the reply ended: it was not cut short"


def test_it_reports_usage_whenever_it_comes_and_counts_thinking() -> None:
    reply = run(
        chunk(delta("a"), usage={"prompt_tokens": 4, "completion_tokens": 0, "total_tokens": 4}),
        chunk(
            delta("b"),
            finish="stop",
            usage={"prompt_tokens": 7, "completion_tokens": 2, "total_tokens": 47},
        ),
    )

    assert reply.usages == [UsageEvent(4, 0, 4, 0), UsageEvent(7, 2, 47, 38)]


def test_thinking_tokens_are_never_negative() -> None:
    reply = run(
        chunk(delta("a"), usage={"prompt_tokens": 9, "completion_tokens": 9, "total_tokens": 5})
    )

    assert reply.usage == UsageEvent(9, 9, 5, 0)


def test_openai_style_reasoning_tokens_are_used_when_reported() -> None:
    usage = {
        "prompt_tokens": 10,
        "completion_tokens": 30,
        "total_tokens": 40,
        "completion_tokens_details": {"reasoning_tokens": 20},
    }
    reply = run({"choices": [], "usage": usage})

    assert reply.usage == UsageEvent(10, 30, 40, 20)


def test_gemini_3_sends_one_call_per_chunk_and_signs_the_first() -> None:
    signed = {"google": {"thought_signature": "Eo1"}}
    first = {
        "id": "function-call-1",
        "type": "function",
        "extra_content": signed,
        "function": {"name": "a", "arguments": "{}"},
    }
    second = {
        "id": "function-call-2",
        "type": "function",
        "function": {"name": "b", "arguments": '{"x":1}'},
    }

    reply = run(
        chunk(delta(tool_calls=[first])), chunk(delta(tool_calls=[second]), finish="tool_calls")
    )

    assert reply.calls() == [(0, "a", "{}", signed), (1, "b", '{"x":1}', None)]
    assert [c.call_id for c in reply.tool_calls] == ["function-call-1", "function-call-2"]
    assert reply.tool_calls[0].thought_signature == "Eo1"


def test_empty_call_ids_get_a_stable_made_up_id() -> None:
    calls = [{"id": "", "function": {"name": n, "arguments": "{}"}} for n in ("a", "b")]

    reply = run(chunk(delta(tool_calls=calls), finish="stop"))

    assert [c.call_id for c in reply.tool_calls] == ["call_test_0_0", "call_test_0_1"]


def test_made_up_ids_differ_between_streams() -> None:
    call = [{"id": "", "function": {"name": "a", "arguments": "{}"}}]
    first, second = StreamNormaliser(), StreamNormaliser()

    one = first.feed(chunk(delta(tool_calls=call)))[0]
    other = second.feed(chunk(delta(tool_calls=call)))[0]

    assert isinstance(one, ToolCallEvent) and isinstance(other, ToolCallEvent)
    assert one.call_id != other.call_id


def test_openai_style_indexed_pieces_are_merged_and_emitted_at_finish() -> None:
    pieces = [
        [
            {
                "index": 0,
                "id": "call_abc",
                "type": "function",
                "function": {"name": "get_weather", "arguments": ""},
            }
        ],
        [{"index": 0, "function": {"arguments": '{"city":'}}],
        [
            {
                "index": 1,
                "id": "call_def",
                "type": "function",
                "function": {"name": "get_time", "arguments": "{}"},
            }
        ],
        [{"index": 0, "function": {"arguments": '"Oslo"}'}}],
    ]
    normaliser = StreamNormaliser()
    streamed = [e for p in pieces for e in normaliser.feed(chunk(delta(tool_calls=p)))]

    finished = normaliser.feed(chunk(delta(), finish="tool_calls"))

    assert streamed == []
    assert finished == [
        ToolCallEvent(0, 0, "call_abc", "get_weather", '{"city":"Oslo"}'),
        ToolCallEvent(0, 1, "call_def", "get_time", "{}"),
        FinishEvent(0, "tool_calls"),
    ]


def test_indexed_calls_without_a_finish_come_out_on_flush() -> None:
    piece = [{"index": 0, "id": "call_x", "function": {"name": "f", "arguments": "{}"}}]

    reply = run(chunk(delta(tool_calls=piece)))

    assert reply.calls() == [(0, "f", "{}", None)]
    assert reply.finishes == {}


def test_an_index_reused_by_a_new_call_starts_a_new_call() -> None:
    first = [{"index": 0, "id": "call_1", "function": {"name": "a", "arguments": "{}"}}]
    second = [{"index": 0, "id": "call_2", "function": {"name": "b", "arguments": "{}"}}]

    reply = run(
        chunk(delta(tool_calls=first)), chunk(delta(tool_calls=second), finish="tool_calls")
    )

    assert [(c.call_id, c.name, c.position) for c in reply.tool_calls] == [
        ("call_1", "a", 0),
        ("call_2", "b", 1),
    ]


def test_arguments_sent_as_an_object_become_a_json_string() -> None:
    call = [{"id": "c", "function": {"name": "f", "arguments": {"q": "x"}}}]

    reply = run(chunk(delta(tool_calls=call)))

    assert reply.tool_calls[0].arguments == '{"q": "x"}'


def test_choices_are_kept_apart_by_index() -> None:
    reply = run(
        chunk(delta("<thought>zero", thought=True), delta("one")),
        {"choices": [{"index": 1, "delta": {"content": " more"}, "finish_reason": "length"}]},
        {
            "choices": [
                {"index": 0, "delta": {"content": "</thought>Zero"}, "finish_reason": "stop"}
            ]
        },
    )

    assert reply.thoughts == {0: "zero"}
    assert reply.answers == {0: "Zero", 1: "one more"}
    assert reply.finishes == {0: "stop", 1: "length"}


def test_a_usage_only_chunk_with_no_choices_is_fine() -> None:
    reply = run(
        {"choices": [], "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
    )

    assert reply.events == [UsageEvent(1, 1, 2, 0)]


@pytest.mark.parametrize(
    "data",
    [
        "not a chunk",
        {"choices": "nope"},
        {"choices": [42]},
        {"choices": [{"index": 0, "delta": "text"}]},
        {"choices": [{"index": 0, "delta": {"content": 12}}]},
        {"choices": [{"index": 0, "delta": {"tool_calls": {"id": "x"}}}]},
    ],
)
def test_unreadable_chunks_are_malformed_replies(data: object) -> None:
    with pytest.raises(UpstreamError) as raised:
        StreamNormaliser().feed(data)  # type: ignore[arg-type]

    assert raised.value.kind == "malformed"


def test_a_whole_reply_splits_thoughts_by_tags() -> None:
    response = {
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"content": "<thought>Sum</thought>Answer", "extra_content": THOUGHT},
            },
            {
                "index": 1,
                "finish_reason": "stop",
                "message": {"content": "<thought>Only a thought"},
            },
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 10},
    }

    reply = Reply(normalise_message(response))

    assert reply.thoughts == {0: "Sum", 1: "Only a thought"}
    assert reply.answers == {0: "Answer"}
    assert reply.finishes == {0: "stop", 1: "stop"}
    assert reply.usage == UsageEvent(1, 2, 10, 7)
    assert reply.events[:2] == [ThoughtDelta("Sum", 0), AnswerDelta("Answer", 0)]


def test_an_unreadable_whole_reply_is_malformed() -> None:
    with pytest.raises(UpstreamError) as raised:
        normalise_message({"choices": [{"message": ["x"]}]})

    assert raised.value.kind == "malformed"
