""" "Get code" on the batch workbench: Google's documented flow, with the key read from the
`GEMINI_API_KEY` environment variable, runs as shown against the emulator."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from playground.get_code.snippets import snippets_render
from playground.llm.code_requests import batch_code_request
from playground.llm.providers import Provider
from tests.batches.cookbook import cookbook_input_lines
from tests.emulator.conftest import KEY
from tests.servers import ServedPlayground

# The snippet waits 30 s between looks; the emulator needs about one.
FAST_PYTHON = (
    "import sys, time\nwait = time.sleep\ntime.sleep = lambda s: wait(min(s, 0.3))\n"
    "exec(compile(open(sys.argv[1]).read(), sys.argv[1], 'exec'), {'__name__': '__main__'})\n"
)
CODE = re.compile(r'<code data-language="(\w+)">(.*?)</code>', re.S)


def batch_code(server: ServedPlayground) -> dict[str, str]:
    provider = Provider("emulator", "Emulator", server.emulator_url, is_emulator=True)
    request = batch_code_request(
        provider,
        endpoint="/v1/chat/completions",
        file_name="my-batch-requests.jsonl",
        display_name="my-batch-requests",
    )
    return {snippet.language: snippet.code for snippet in snippets_render(code=request)}


def environment(**changes: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "GEMINI_API_KEY"}
    return env | changes


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "my-batch-requests.jsonl").write_text("\n".join(cookbook_input_lines()) + "\n")
    (tmp_path / "fast.py").write_text(FAST_PYTHON)
    return tmp_path


def run_python(
    server: ServedPlayground, folder: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    (folder / "get_code.py").write_text(batch_code(server)["python"])
    return subprocess.run(
        [sys.executable, "fast.py", "get_code.py"], cwd=folder,
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_python_snippet_reads_the_key_from_the_environment_and_runs(
    served_batches: ServedPlayground, folder: Path
) -> None:
    done = run_python(served_batches, folder, environment(GEMINI_API_KEY=KEY))

    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert any(text.startswith("Batch finished: Batch(") for text in printed)
    assert [json.loads(text)["custom_id"] for text in printed if text.startswith("{")] == [
        "request-1",
        "request-2",
    ]


def test_the_python_snippet_holds_no_key_of_its_own(
    served_batches: ServedPlayground, folder: Path
) -> None:
    done = run_python(served_batches, folder, environment())

    assert done.returncode != 0 and "KeyError: 'GEMINI_API_KEY'" in done.stderr


def test_the_curl_snippet_runs_as_shown(served_batches: ServedPlayground, folder: Path) -> None:
    # Step 4 is "ask again until completed": here, once, after the batch has had its second.
    script = "set -e\n" + batch_code(served_batches)["curl"].replace("# 4.", "sleep 2\n# 4.")

    subprocess.run(
        ["bash", "-c", script], cwd=folder, env=environment(GEMINI_API_KEY=KEY),
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip

    output = (folder / "batch-output.jsonl").read_text().splitlines()
    assert [json.loads(text)["custom_id"] for text in output] == ["request-1", "request-2"]


@pytest.mark.django_db
def test_the_workbench_shows_code_that_reads_the_key_from_the_environment(
    signed_in: Client, batches_emulator_url: str
) -> None:
    page = signed_in.get("/batches/").content.decode()

    code = {language: html.unescape(text) for language, text in CODE.findall(page)}
    assert 'api_key=os.environ["GEMINI_API_KEY"]' in code["python"]
    assert "apiKey: process.env.GEMINI_API_KEY" in code["javascript"]
    assert '-H "x-goog-api-key: $GEMINI_API_KEY"' in code["curl"]
    assert '"GEMINI_API_KEY"' not in code["python"].replace('os.environ["GEMINI_API_KEY"]', "")
