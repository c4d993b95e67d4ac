"""Every line of a batch file is checked before anything is sent; problems by line number."""

from __future__ import annotations

import json
import time

from playground.batches.jsonl import (
    JsonlCheck,
    jsonl_check,
    jsonl_from_template,
    unlisted_model_problems,
)
from tests.batches.cookbook import cookbook_input_lines

CHAT = "/v1/chat/completions"
EMBEDDINGS = "/v1/embeddings"


def request(number: int, **changes: object) -> str:
    line = {
        "custom_id": f"request-{number}",
        "method": "POST",
        "url": CHAT,
        "body": {"model": "gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}]},
    }
    line.update(changes)
    return json.dumps(line)


def problems_of(check: JsonlCheck) -> list[tuple[int | None, str]]:
    return [(problem.line, problem.message) for problem in check.problems]


def test_the_cookbook_file_is_clean() -> None:
    check = jsonl_check("\n".join(cookbook_input_lines()), endpoint=CHAT)

    assert check.ok
    assert len(check.lines) == 2
    assert check.model_counts == [("gemini-2.5-flash", 2)]


def test_it_names_the_line_with_bad_json() -> None:
    text = "\n".join(
        [request(1), request(2), '{"custom_id": "request-3", "method": "POST",', request(4)]
    )

    check = jsonl_check(text, endpoint=CHAT)

    assert not check.ok
    assert [line for line, _ in problems_of(check)] == [3]
    assert problems_of(check)[0][1].startswith("Not valid JSON:")
    assert len(check.lines) == 3


def test_it_names_a_repeated_custom_id_and_where_it_was_first() -> None:
    check = jsonl_check("\n".join([request(1), request(2), request(1)]), endpoint=CHAT)

    assert problems_of(check) == [(3, "custom_id “request-1” is already used on line 1.")]


def test_it_refuses_a_url_that_is_not_the_batch_endpoint() -> None:
    lines = [request(1), request(2, url=EMBEDDINGS), request(3, url="/v1/responses")]

    check = jsonl_check("\n".join(lines), endpoint=CHAT)

    assert problems_of(check) == [
        (2, f"url is “{EMBEDDINGS}”, but this batch runs “{CHAT}”: one endpoint per batch."),
        (3, f'url "/v1/responses" is not supported: use {CHAT} or {EMBEDDINGS}.'),
    ]


def test_it_refuses_an_empty_file() -> None:
    for empty in (b"", b"\n\n  \n", "\ufeff"):
        check = jsonl_check(empty, endpoint=CHAT)

        assert not check.ok
        assert problems_of(check) == [(None, "The file is empty: it needs one request per line.")]


def test_it_checks_method_body_model_and_messages() -> None:
    lines = [
        request(1, method="GET"),
        request(2, body=None),
        request(3, body={"messages": [{"role": "user", "content": "x"}]}),
        request(4, body={"model": "gemini-2.5-flash", "messages": []}),
        "[1, 2]",
        json.dumps({"method": "POST", "url": CHAT, "body": {}}),
    ]

    found = problems_of(jsonl_check("\n".join(lines), endpoint=CHAT))

    assert [line for line, _ in found] == [1, 2, 3, 4, 5, 6, 6, 6]
    assert found[0][1] == 'method must be “POST”, not "GET".'
    assert found[1][1].startswith("body is missing")
    assert found[2][1].startswith("body.model is missing")
    assert found[3][1] == "body.messages must be a non-empty list of messages."
    assert found[4][1] == "Not a JSON object."
    assert found[5][1].startswith("custom_id is missing")
    assert found[6][1].startswith("body.model is missing")
    assert found[7][1].startswith("body.messages must be")


def test_every_problem_of_a_line_is_listed_not_only_the_first() -> None:
    everything_wrong = json.dumps(
        {"method": "GET", "url": "/v1/responses", "body": {"messages": [], "max_tokens": 10**9}}
    )

    check = jsonl_check("\n".join([request(1), everything_wrong]), endpoint=CHAT)

    assert [bad.line for bad in check.bad_lines] == [2]
    assert [message.split(" ")[0] for message in check.bad_lines[0].problems] == [
        "custom_id",
        "method",
        "url",
        "body.model",
        "body.messages",
        "body.max_tokens",
    ]
    assert check.problem_count == 6
    assert check.bad_line_count == 1


def test_embedding_lines_need_something_to_embed() -> None:
    lines = [
        request(1, url=EMBEDDINGS, body={"model": "gemini-embedding-001", "input": "a"}),
        request(2, url=EMBEDDINGS, body={"model": "gemini-embedding-001"}),
    ]

    check = jsonl_check("\n".join(lines), endpoint=EMBEDDINGS)

    assert [line for line, _ in problems_of(check)] == [2]


def test_it_names_the_line_that_is_not_utf8() -> None:
    raw = (request(1) + "\n" + request(2) + "\n").encode() + b'{"custom_id": "\xff"}\n'

    check = jsonl_check(raw, endpoint=CHAT)

    assert problems_of(check) == [(3, "Not UTF-8 text.")]


def test_blank_lines_are_skipped_but_keep_their_numbers() -> None:
    text = "\ufeff" + request(1) + "\n\n" + request(2, method="PUT") + "\n"

    check = jsonl_check(text, endpoint=CHAT)

    assert [line for line, _ in problems_of(check)] == [3]
    assert check.lines == (request(1),)


def test_ten_thousand_lines_are_checked_and_every_problem_counted() -> None:
    lines = [request(n) for n in range(1, 10_001)]
    lines[4_999] = request(5_000, method="GET")
    lines[9_998] = "{not json"

    started = time.perf_counter()
    check = jsonl_check("\n".join(lines).encode(), endpoint=CHAT)
    seconds = time.perf_counter() - started

    assert [line for line, _ in problems_of(check)] == [5_000, 9_999]
    assert len(check.lines) == 9_998
    assert check.jsonl.count("\n") == 9_998
    # Not a benchmark (the machine is shared): only "not absurdly slow".
    assert seconds < 10


def test_a_clean_file_of_ten_thousand_lines_is_sent_as_given() -> None:
    lines = [request(n) for n in range(1, 10_001)]

    check = jsonl_check("\n".join(lines), endpoint=CHAT)

    assert check.ok
    assert check.jsonl == "".join(f"{line}\n" for line in lines)


def test_it_counts_every_bad_line_but_lists_only_the_first_two_hundred() -> None:
    check = jsonl_check("\n".join("oops" for _ in range(500)), endpoint=CHAT)

    assert check.problem_count == 500
    assert check.bad_line_count == 500
    assert len(check.bad_lines) == 200
    assert check.unshown_line_count == 300
    assert [bad.line for bad in check.bad_lines][-1] == 200


def test_a_template_builds_a_clean_file_for_either_endpoint() -> None:
    chat = jsonl_from_template(
        endpoint=CHAT,
        model="gemini-2.5-flash",
        template="Translate to French: {input}",
        inputs=["good morning", "thank you"],
        system="Be brief.",
    )
    embeddings = jsonl_from_template(
        endpoint=EMBEDDINGS, model="gemini-embedding-001", template="{input}", inputs=["a", "b"]
    )

    first = json.loads(chat.splitlines()[1])
    assert jsonl_check(chat, endpoint=CHAT).ok
    assert jsonl_check(embeddings, endpoint=EMBEDDINGS).ok
    assert first["custom_id"] == "request-2"
    assert first["body"]["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Translate to French: thank you"},
    ]
    assert json.loads(embeddings.splitlines()[0])["body"] == {
        "model": "gemini-embedding-001",
        "input": "a",
    }


def test_models_the_provider_does_not_list_are_named_with_their_first_lines() -> None:
    models = ["models/gemini-2.5-flash", *(f"m-{n}" for n in range(7)), *["m-0"] * 6]
    lines = [request(n, body={"model": model, "messages": [{"role": "user", "content": "Hi"}]})
             for n, model in enumerate(models, start=1)]  # fmt: skip
    check = jsonl_check("\n".join(lines), endpoint=CHAT)

    problems = unlisted_model_problems(
        check, listed=["gemini-2.5-flash"], wanted="a chat model", provider_label="Proxy"
    )

    assert problems == [
        "Lines 2, 9, 10, 11, 12 and 2 more ask for m-0, which is not a chat model of Proxy: "
        "nothing was sent.",
        *(
            f"Line {n + 2} asks for m-{n}, which is not a chat model of Proxy: nothing was sent."
            for n in range(1, 5)
        ),
        "…and 2 more models it does not list.",
    ]
