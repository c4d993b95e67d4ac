"""The batch calls: where the Files API is, how both SDKs' failures read, what a batch holds."""

from __future__ import annotations

import io

import httpx2
import pytest
from google.genai import errors as genai_errors

from playground.llm import batches
from playground.llm.batches import BatchState, files_root_url, upload_batch_input
from playground.llm.errors import UpstreamError
from playground.llm.providers import Provider


@pytest.mark.parametrize(
    ("base_url", "root"),
    [
        ("https://generativelanguage.googleapis.com/v1beta/openai/", "https://generativelanguage.googleapis.com/"),
        ("http://127.0.0.1:8000/emulator/v1beta/openai", "http://127.0.0.1:8000/emulator/"),
    ],
)  # fmt: skip
def test_the_files_api_sits_at_the_host_of_the_openai_path(base_url: str, root: str) -> None:
    assert files_root_url(Provider("x", "X", base_url)) == root


def test_a_provider_without_gemini_files_is_named() -> None:
    with pytest.raises(UpstreamError) as raised:
        files_root_url(Provider("ollama", "Ollama", "http://127.0.0.1:11434/v1/"))

    assert "Ollama (http://127.0.0.1:11434/v1/) has no Gemini Files API" in raised.value.message


def test_a_batch_is_read_with_its_counts_and_line_errors() -> None:
    state = BatchState.from_api(
        {
            "id": "batches/abc",
            "status": "failed",
            "request_counts": {"completed": 1, "failed": 2, "total": 3},
            "errors": {"data": [{"line": 3, "code": "invalid_request", "message": "Bad"}]},
            "output_file_id": "files/out",
        }
    )

    assert (state.completed, state.failed, state.total) == (1, 2, 3)
    assert state.errors[0].line == 3 and state.errors[0].message == "Bad"
    assert state.is_final and state.output_file_id == "files/out"


def test_a_batch_without_an_id_is_malformed() -> None:
    with pytest.raises(UpstreamError) as raised:
        BatchState.from_api({"status": "completed"})

    assert raised.value.kind == "malformed"


QUOTA = "Quota exceeded. Please retry in 11.66s."


class FailingFiles:
    """Stands in for genai's async files API, failing as told."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.aio = self
        self.files = self

    async def upload(self, *, file: io.BytesIO, config: object) -> None:
        raise self.error

    async def aclose(self) -> None:
        return None

    def close(self) -> None:
        return None


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            genai_errors.ClientError(
                429,
                [{"error": {"code": 429, "message": QUOTA, "status": "RESOURCE_EXHAUSTED"}}],
            ),
            (429, "RESOURCE_EXHAUSTED", "http", 11.66),
        ),
        (httpx2.ConnectError("refused"), (None, None, "connection", None)),
        (KeyError("Upload URL was not returned"), (None, None, "malformed", None)),
    ],
)  # fmt: skip
async def test_files_api_failures_become_upstream_errors(
    monkeypatch: pytest.MonkeyPatch, error: BaseException, expected: tuple
) -> None:
    monkeypatch.setattr(batches, "_files_client", lambda provider: FailingFiles(error))

    with pytest.raises(UpstreamError) as raised:
        await upload_batch_input(
            Provider("gemini", "Gemini", "https://g.test/v1beta/openai/"),
            content=b"{}",
            display_name="x",
        )

    found = raised.value
    assert (found.status_code, found.gemini_status, found.kind, found.retry_after) == expected
