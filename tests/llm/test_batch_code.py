""" "Get code" for embeddings and batches: valid code, the values sent, never a real key."""

from __future__ import annotations

import ast
import json
import shlex

from playground.llm.batch_code import batch_code, embedding_code
from playground.llm.embeddings import EmbeddingSpec
from playground.llm.providers import Provider

GEMINI = Provider("gemini", "Gemini", "https://generativelanguage.googleapis.com/v1beta/openai/")
TEXTS = ("It's a cat", 'She said "hi"', "Ünïcode ✓")


def test_embedding_code_is_valid_python_with_the_request(settings) -> None:
    settings.GEMINI_API_KEY = "real-secret-key"
    code = embedding_code(GEMINI, EmbeddingSpec("gemini-embedding-001", TEXTS, 768))

    call = next(
        node for node in ast.walk(ast.parse(code.python))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "create"
    )  # fmt: skip
    arguments = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords}
    assert arguments == {"model": "gemini-embedding-001", "input": list(TEXTS), "dimensions": 768}
    for snippet in (code.python, code.javascript, code.curl):
        assert "real-secret-key" not in snippet
        assert "GEMINI_API_KEY" in snippet


def test_embedding_curl_sends_the_same_json_through_the_shell() -> None:
    code = embedding_code(GEMINI, EmbeddingSpec("gemini-embedding-001", TEXTS))

    words = shlex.split(code.curl.replace("\\\n", " "))

    assert words[1] == GEMINI.base_url + "embeddings"
    assert json.loads(words[words.index("-d") + 1]) == {
        "model": "gemini-embedding-001",
        "input": list(TEXTS),
    }


def test_batch_code_follows_the_documented_flow_for_gemini() -> None:
    code = batch_code(
        GEMINI, endpoint="/v1/embeddings", file_name="my-batch-requests.jsonl", display_name="d"
    )

    ast.parse(code.python)
    assert 'client = genai.Client(api_key="GEMINI_API_KEY")' in code.python
    assert "openai_client.batches.retrieve(batch.id)" in code.python
    assert 'endpoint="/v1/embeddings"' in code.python
    assert "https://generativelanguage.googleapis.com/upload/v1beta/files" in code.curl
    assert 'endpoint: "/v1/embeddings"' in code.javascript
