"""The one literal printer behind every "Get code": values come back as they went in."""

from __future__ import annotations

import ast
import json
import shlex
import subprocess

from playground.llm.code_literals import (
    FileRead,
    curl_form_option,
    heredoc_json,
    literal,
    nesting_depth,
    python_keyword_arguments,
    shell_quoted,
)

AWKWARD = {
    "text": 'It\'s "quoted", $HOME, `ticks`, back\\slash, new\nline, Ünïcode ✓',
    "numbers": [0, -1, 2.5, 1e-07],
    "flags": [True, False, None],
    "nested": {"empty_dict": {}, "empty_list": [], "deeper": [{"a-b": 1}]},
    "__proto__": {"polluted": True},
    "long": ["a long enough item", "another long enough item", "and a third one"],
}


def test_a_python_literal_evaluates_back_to_the_value() -> None:
    assert ast.literal_eval(literal(AWKWARD, "python")) == AWKWARD


def test_a_javascript_literal_evaluates_back_to_the_value() -> None:
    script = f"process.stdout.write(JSON.stringify({literal(AWKWARD, 'javascript')}))"

    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == AWKWARD


def test_short_plain_lists_stay_on_one_line_and_dicts_go_one_key_per_line() -> None:
    assert literal({"input": ["a", "b"]}, "python") == '{\n    "input": ["a", "b"],\n}'
    assert literal({"input": ["a", "b"]}, "javascript") == '{\n  input: ["a", "b"],\n}'
    assert literal(AWKWARD["long"], "python").count("\n") == 4


def test_keyword_arguments_are_one_per_line() -> None:
    printed = python_keyword_arguments({"model": "m", "extra_body": {"extra_body": {}}})

    assert printed == '    model="m",\n    extra_body={\n        "extra_body": {},\n    },\n'


def test_a_file_read_is_a_call_in_each_language_and_a_variable_in_a_heredoc() -> None:
    read = FileRead("first frame.png", "data:image/png;base64,")

    assert literal(read, "python") == '"data:image/png;base64," + encode_file("first frame.png")'
    assert literal(read, "javascript") == '"data:image/png;base64," + encodeFile("first frame.png")'
    assert heredoc_json({"url": read}) == '{\n  "url": "data:image/png;base64,${FIRST_FRAME}"\n}'
    assert curl_form_option("image", FileRead("a.png")) == '-F "image=<a.png.b64"'


def test_shell_words_come_back_as_they_were() -> None:
    for text in ("plain", AWKWARD["text"], "it's", "!bang", ""):
        assert shlex.split(shell_quoted(text)) == [text]
    assert shell_quoted("https://x.test/v1/") == '"https://x.test/v1/"'


def test_a_heredoc_keeps_dollars_and_backslashes_literal() -> None:
    script = f"cat <<EOF\n{heredoc_json(AWKWARD)}\nEOF\n"

    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)

    assert json.loads(done.stdout) == AWKWARD


def test_form_values_curl_would_read_as_files_are_sent_as_strings() -> None:
    assert curl_form_option("prompt", "@etc/passwd") == '--form-string "prompt=@etc/passwd"'
    assert curl_form_option("seed", 42) == '-F "seed=42"'
    assert curl_form_option("flag", True) == '-F "flag=true"'


def test_nesting_is_counted_without_recursing() -> None:
    value: object = []
    for _ in range(50_000):
        value = {"a": [value]}

    assert nesting_depth(value) == 100_001
    assert nesting_depth("text") == 0 and nesting_depth({"a": [1, {}]}) == 3
