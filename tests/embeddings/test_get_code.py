""" "Get code" on an embeddings run: each snippet, run as shown, gets the same vectors back."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest
from django.test import Client

from playground.embeddings.models import EmbeddingRun
from playground.embeddings.selectors import run_analysis

pytestmark = pytest.mark.django_db

TEXTS = ["The cat sat on the mat.", "It's a dog's life"]
WITH_KEY = {**os.environ, "GEMINI_API_KEY": "exported-key"}


@pytest.fixture
def run(signed_in: Client, emulator_url: str) -> EmbeddingRun:
    signed_in.post(
        "/embeddings/",
        {"model": "gemini-embedding-001", "dimensions": "256", "texts": "\n".join(TEXTS)},
    )
    return EmbeddingRun.objects.get()


def code_of(run: EmbeddingRun) -> dict[str, str]:
    return {snippet.language: snippet.code for snippet in run_analysis(run=run).code}


def test_the_python_snippet_prints_the_same_vectors(run: EmbeddingRun, tmp_path) -> None:
    code = code_of(run)["python"]

    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=WITH_KEY,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    printed = [line.split(" ", 2) for line in done.stdout.splitlines()]
    stored = run.unpacked()
    for index, (number, size, start) in enumerate(printed):
        assert (int(number), int(size)) == (index, 256)
        assert ast.literal_eval(start) == pytest.approx(list(stored[index][:4]), abs=1e-6)


def test_the_curl_snippet_gets_the_same_vectors(run: EmbeddingRun, tmp_path) -> None:
    code = code_of(run)["curl"]

    done = subprocess.run(
        ["bash", "-c", code], cwd=tmp_path, env=WITH_KEY,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)["data"]
    assert [len(item["embedding"]) for item in data] == [256, 256]
    assert data[1]["embedding"] == pytest.approx(list(run.unpacked()[1]), abs=1e-6)


def test_the_javascript_snippet_gets_the_same_vectors(run: EmbeddingRun, node_openai) -> None:
    code = code_of(run)["javascript"].replace(
        "console.log(embedding);", "console.log(JSON.stringify(embedding));"
    )
    script = node_openai / "embeddings_snippet.mjs"
    script.write_text(code)

    done = subprocess.run(
        ["node", script.name], cwd=node_openai, capture_output=True, text=True, timeout=60,
        env=WITH_KEY,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)["data"]
    assert data[0]["embedding"] == pytest.approx(list(run.unpacked()[0]), abs=1e-6)


def test_the_snippets_need_the_key_in_the_environment(run: EmbeddingRun, tmp_path) -> None:
    without_key = {name: value for name, value in os.environ.items() if name != "GEMINI_API_KEY"}

    done = subprocess.run(
        [sys.executable, "-c", code_of(run)["python"]], cwd=tmp_path, env=without_key,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert done.returncode != 0 and "KeyError: 'GEMINI_API_KEY'" in done.stderr
