""" "Get code" for embeddings and batches: valid code, the values sent, the key from the
environment and never written out."""

from __future__ import annotations

import ast
import json
import shlex

from playground.get_code.snippets import snippets_render
from playground.llm.code_requests import batch_code_request, embedding_code_request
from playground.llm.embeddings import EmbeddingSpec
from playground.llm.providers import Provider

GEMINI = Provider("gemini", "Gemini", "https://generativelanguage.googleapis.com/v1beta/openai/")
TEXTS = ("It's a cat", 'She said "hi"', "Ünïcode ✓")


def embedding_code(spec: EmbeddingSpec) -> dict[str, str]:
    snippets = snippets_render(code=embedding_code_request(spec, base_url=GEMINI.base_url))
    return {snippet.language: snippet.code for snippet in snippets}


def batch_code(endpoint: str) -> dict[str, str]:
    request = batch_code_request(
        GEMINI, endpoint=endpoint, file_name="my-batch-requests.jsonl", display_name="d"
    )
    return {snippet.language: snippet.code for snippet in snippets_render(code=request)}


def test_embedding_code_is_valid_python_with_the_request(settings) -> None:
    settings.GEMINI_API_KEY = "real-secret-key"
    code = embedding_code(EmbeddingSpec("gemini-embedding-001", TEXTS, 768))

    call = next(
        node for node in ast.walk(ast.parse(code["python"]))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "create"
    )  # fmt: skip
    arguments = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords}
    assert arguments == {"model": "gemini-embedding-001", "input": list(TEXTS), "dimensions": 768}
    for snippet in code.values():
        assert "real-secret-key" not in snippet


def test_every_embedding_and_batch_snippet_reads_the_key_from_the_environment() -> None:
    code = {
        **{f"embeddings {k}": v for k, v in embedding_code(EmbeddingSpec("m", TEXTS)).items()},
        **{f"batches {k}": v for k, v in batch_code("/v1/embeddings").items()},
    }

    for name, snippet in code.items():
        reads = {"python": 'os.environ["GEMINI_API_KEY"]', "javascript": "process.env."}
        assert reads.get(name.split()[1], "$GEMINI_API_KEY") in snippet, name
        assert '"GEMINI_API_KEY"' not in snippet.replace('os.environ["GEMINI_API_KEY"]', ""), name
        assert "Bearer GEMINI_API_KEY" not in snippet and "key: GEMINI_API_KEY" not in snippet


def test_embedding_curl_sends_the_same_json_through_the_shell() -> None:
    code = embedding_code(EmbeddingSpec("gemini-embedding-001", TEXTS))["curl"]

    words = shlex.split(code.replace("\\\n", " "))

    assert words[1] == GEMINI.base_url + "embeddings"
    assert json.loads(words[words.index("-d") + 1]) == {
        "model": "gemini-embedding-001",
        "input": list(TEXTS),
    }


def test_batch_code_follows_the_documented_flow_for_gemini() -> None:
    code = batch_code("/v1/embeddings")

    ast.parse(code["python"])
    assert 'client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])' in code["python"]
    assert "openai_client.batches.retrieve(batch.id)" in code["python"]
    assert 'endpoint="/v1/embeddings"' in code["python"]
    assert 'FILES_ROOT="https://generativelanguage.googleapis.com/"' in code["curl"]
    assert 'curl "${FILES_ROOT}upload/v1beta/files"' in code["curl"]
    assert 'endpoint: "/v1/embeddings"' in code["javascript"]
