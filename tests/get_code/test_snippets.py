""" "Get code" rendering: every kind of request gets its three snippets, whatever it holds."""

from __future__ import annotations

import json
from typing import Any

from playground.get_code.snippets import snippets_render
from playground.llm.code_literals import MAX_NESTING
from playground.llm.code_requests import chat_code_request
from playground.llm.runspec import Message, RunSpec

EMULATOR = "http://127.0.0.1:8000/emulator/v1beta/openai/"


def nested(levels: int) -> str:
    """extra_body JSON that makes the request body `levels` dicts deep."""
    value: Any = 1
    for _ in range(levels - 2):  # the body and its extra_body are the first two
        value = {"a": value}
    return json.dumps({"google": value})


def code_for(extra_body_json: str) -> dict[str, str]:
    spec = RunSpec(
        provider="emulator",
        model="gemini-2.5-flash",
        messages=(Message(role="user", content="hi"),),
        extra_body_json=extra_body_json,
    )
    snippets = snippets_render(code=chat_code_request(spec, base_url=EMULATOR))
    return {snippet.language: snippet.code for snippet in snippets}


def test_a_request_nested_as_deep_as_may_be_printed_is_printed() -> None:
    code = code_for(nested(MAX_NESTING))

    assert code["python"].count('"a": {') == MAX_NESTING - 3
    assert "deeper than Get code prints" not in "".join(code.values())
    assert "deeper than Get code prints" in code_for(nested(MAX_NESTING + 1))["python"]


def test_a_request_nested_too_deep_to_print_says_so_instead_of_failing() -> None:
    code = code_for(nested(2_000))  # the spec holds it; a recursive printer would not

    for language, comment in (("python", "#"), ("javascript", "//"), ("curl", "#")):
        assert code[language].startswith(f"{comment} This request nests its values more than")
        assert "deeper than Get code prints" in code[language]
