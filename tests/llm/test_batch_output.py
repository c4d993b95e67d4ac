"""Reading output files: Gemini's camelCase lines (recorded), OpenAI's snake_case, failures."""

from __future__ import annotations

import base64
import json
import struct

from playground.llm.batch_output import batch_output_read
from tests.batches.cookbook import cookbook_output_lines


def results_parse(text: str):
    output = batch_output_read(text)
    return list(output.results), output.unreadable


def test_it_reads_the_recorded_gemini_output_lines() -> None:
    rows, unreadable = results_parse("\n".join(cookbook_output_lines()))

    assert unreadable == 0
    assert [row.custom_id for row in rows] == ["request-1", "request-2"]
    joke = rows[0]
    assert joke.status_code == 200 and joke.succeeded
    assert joke.answer == "I'm reading a book about anti-gravity; it's impossible to put down!"
    assert joke.finish_reason == "stop"
    assert (joke.prompt_tokens, joke.completion_tokens, joke.total_tokens) == (9, 19, 488)
    assert rows[1].answer.startswith("The sky is blue due to a phenomenon called **Rayleigh")


def test_it_reads_openai_spelling_and_base64_embeddings() -> None:
    vector = base64.b64encode(struct.pack("<768f", *([0.5] * 768))).decode()
    lines = [
        {
            "custom_id": "a",
            "response": {
                "status_code": 200,
                "body": {
                    "choices": [{"message": {"content": "Hi"}, "finish_reason": "length"}],
                    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
                },
            },
        },
        {
            "custom_id": "b",
            "response": {"statusCode": 200, "body": {"data": [{"embedding": vector}]}},
        },
        {"custom_id": "c", "response": {"body": {"data": [{"embedding": [0.1, 0.2, 0.3]}]}}},
    ]

    rows, _ = results_parse("\n".join(json.dumps(line) for line in lines))

    assert (rows[0].answer, rows[0].finish_reason, rows[0].total_tokens) == ("Hi", "length", 4)
    assert rows[1].embedding_size == 768
    assert rows[2].embedding_size == 3
    assert all(row.succeeded for row in rows)


def test_it_reads_failures_in_every_shape() -> None:
    lines = [
        {
            "custom_id": "in-body",
            "response": {
                "status_code": 404,
                "body": {
                    "error": {
                        "code": 404,
                        "message": "models/x is not found",
                        "status": "NOT_FOUND",
                    }
                },
            },
        },
        {
            "custom_id": "listed",
            "response": {"status_code": 400, "body": [{"error": {"message": "Bad"}}]},
        },
        {"custom_id": "openai", "response": None, "error": {"code": "invalid", "message": "Nope"}},
    ]

    rows, _ = results_parse("\n".join(json.dumps(line) for line in lines))

    assert [row.error for row in rows] == [
        "NOT_FOUND: models/x is not found",
        "Bad",
        "invalid: Nope",
    ]
    assert [row.status_code for row in rows] == [404, 400, None]
    assert not any(row.succeeded for row in rows)


def test_it_counts_lines_it_cannot_read() -> None:
    rows, unreadable = results_parse(
        '{"custom_id": "a", "response": {"body": {}}}\nnot json\n[1]\n'
    )

    assert len(rows) == 1
    assert unreadable == 2
