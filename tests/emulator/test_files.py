"""The Files API beside the OpenAI path, driven by the google-genai SDK and by hand."""

from __future__ import annotations

import base64
import hashlib
import io

import httpx2
import pytest
from django.test import AsyncClient
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from tests.emulator.conftest import KEY, error_of
from tests.servers import ServedPlayground

CONTENT = b'{"custom_id": "request-1"}\n{"custom_id": "request-2"}\n'


@pytest.fixture
def root(served: ServedPlayground) -> str:
    return served.base_url + "/emulator/"


def files_client(root: str, version: str | None = None) -> genai.Client:
    return genai.Client(
        api_key=KEY, http_options=types.HttpOptions(base_url=root, api_version=version)
    )


@pytest.mark.parametrize("version", [None, "v1beta"])
def test_the_genai_sdk_uploads_reads_lists_and_deletes_a_file(
    root: str, version: str | None
) -> None:
    client = files_client(root, version)

    uploaded = client.files.upload(
        file=io.BytesIO(CONTENT),
        config=types.UploadFileConfig(display_name="my-batch-requests", mime_type="jsonl"),
    )
    fetched = client.files.get(name=uploaded.name)
    listed = [file.name for file in client.files.list(config={"page_size": 100})]
    client.files.delete(name=uploaded.name)

    assert uploaded.name.startswith("files/")
    assert uploaded.display_name == "my-batch-requests"
    assert uploaded.mime_type == "jsonl"
    assert uploaded.size_bytes == len(CONTENT)
    assert uploaded.state == types.FileState.ACTIVE
    assert uploaded.source == types.FileSource.UPLOADED
    assert (
        uploaded.sha256_hash
        == base64.b64encode(hashlib.sha256(CONTENT).hexdigest().encode()).decode()
    )
    assert fetched.name == uploaded.name and fetched.uri.endswith(uploaded.name)
    assert uploaded.name in listed
    with pytest.raises(genai_errors.ClientError) as raised:
        client.files.get(name=uploaded.name)
    assert raised.value.code == 403
    assert raised.value.status == "PERMISSION_DENIED"


def test_an_uploaded_file_cannot_be_downloaded(root: str) -> None:
    client = files_client(root)
    uploaded = client.files.upload(file=io.BytesIO(CONTENT), config={"mime_type": "jsonl"})

    with pytest.raises(genai_errors.ClientError) as raised:
        client.files.download(file=uploaded.name)

    assert "Only generated files can be downloaded" in raised.value.message


def start_upload(root: str, size: int, key: str | None = KEY) -> httpx2.Response:
    headers = {
        "X-Goog-Upload-Protocol": "resumable",
        "X-Goog-Upload-Command": "start",
        "X-Goog-Upload-Header-Content-Length": str(size),
        "X-Goog-Upload-Header-Content-Type": "application/jsonl",
        "Content-Type": "application/json",
    }
    if key:
        headers["x-goog-api-key"] = key
    body = b'{"file": {"display_name": "by-hand"}}'
    return httpx2.post(root + "upload/v1beta/files", content=body, headers=headers)


def send_chunk(url: str, data: bytes, offset: int, command: str) -> httpx2.Response:
    headers = {"X-Goog-Upload-Offset": str(offset), "X-Goog-Upload-Command": command}
    return httpx2.post(url, content=data, headers=headers)


def test_a_resumable_upload_takes_several_chunks_without_a_key(root: str) -> None:
    started = start_upload(root, len(CONTENT))
    url = started.headers["X-Goog-Upload-URL"]

    first = send_chunk(url, CONTENT[:10], 0, "upload")
    wrong = send_chunk(url, CONTENT[10:], 3, "upload, finalize")
    last = send_chunk(url, CONTENT[10:], 10, "upload, finalize")

    assert started.status_code == 200 and started.headers["X-Goog-Upload-Status"] == "active"
    assert "upload_id=" in url
    assert first.headers["X-Goog-Upload-Status"] == "active"
    assert first.headers["X-Goog-Upload-Size-Received"] == "10"
    assert wrong.status_code == 400
    assert "offset 3 does not match the 10 bytes" in error_of(wrong)["message"]
    assert last.headers["X-Goog-Upload-Status"] == "final"
    assert last.json()["file"]["sizeBytes"] == str(len(CONTENT))
    assert last.json()["file"]["displayName"] == "by-hand"


def test_finishing_short_of_the_announced_size_is_refused(root: str) -> None:
    url = start_upload(root, 100).headers["X-Goog-Upload-URL"]

    response = send_chunk(url, b"only a little", 0, "upload, finalize")

    assert response.status_code == 400
    # The status ends the session, so the SDK does not retry the chunk.
    assert response.headers["X-Goog-Upload-Status"] == "final"
    assert "finalized after 13 bytes, but 100 were announced" in error_of(response)["message"]


def test_an_unknown_upload_id_ends_the_session_at_once(root: str) -> None:
    response = send_chunk(root + "upload/v1beta/files?upload_id=nope", b"x", 0, "upload, finalize")

    assert response.status_code == 404
    assert response.headers["X-Goog-Upload-Status"] == "final"


def test_starting_an_upload_wants_a_key(root: str) -> None:
    response = start_upload(root, 10, key=None)

    assert response.status_code == 400
    assert error_of(response)["message"] == "API key not valid. Please pass a valid API key."


def test_a_file_id_with_an_encoded_slash_is_found(root: str) -> None:
    client = files_client(root)
    uploaded = client.files.upload(file=io.BytesIO(CONTENT), config={"mime_type": "jsonl"})
    bare = uploaded.name.removeprefix("files/")

    encoded = httpx2.get(root + f"v1beta/files/files%2F{bare}", headers={"x-goog-api-key": KEY})
    plain = httpx2.get(root + f"v1/files/{bare}", headers={"x-goog-api-key": KEY})

    assert encoded.status_code == plain.status_code == 200
    assert encoded.json()["name"] == plain.json()["name"] == uploaded.name


def test_a_missing_file_answers_as_gemini_does(root: str) -> None:
    response = httpx2.get(root + "v1beta/files/nosuchfile", headers={"x-goog-api-key": KEY})

    assert response.status_code == 403
    assert error_of(response) == {
        "code": 403,
        "message": "You do not have permission to access the File files/nosuchfile or it may "
        "not exist.",
        "status": "PERMISSION_DENIED",
    }


@pytest.mark.urls("tests.emulator.urls")
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/emulator/upload/v1beta/files"),
        ("post", "/emulator/upload/v1/files?upload_id=abc"),
        ("get", "/emulator/v1beta/files/abc"),
        ("get", "/emulator/download/v1beta/files/abc:download?alt=media"),
        ("post", "/emulator/v1beta/openai/batches"),
        ("get", "/emulator/v1beta/openai/batches/batches/abc"),
        ("post", "/emulator/v1beta/openai/embeddings"),
    ],
)
async def test_files_batches_and_embeddings_are_off_with_the_emulator(
    settings, method: str, path: str
) -> None:
    settings.EMULATOR_ENABLED = False

    response = await getattr(AsyncClient(), method)(path, headers={"x-goog-api-key": KEY})

    assert response.status_code == 404
    assert "EMULATOR_ENABLED" in error_of(response)["message"]
