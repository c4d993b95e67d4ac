"""The emulator's Batch API in Google's documented flow (genai SDK for the files, openai SDK for
the batches), against a served emulator that finishes a batch in about a second."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import httpx2
import openai
import pytest
from google import genai
from google.genai import types
from openai import OpenAI

from tests.batches.cookbook import cookbook_input_lines
from tests.batches.servers import batch_server
from tests.emulator.conftest import KEY, error_of
from tests.servers import ServedPlayground

FINAL = ("completed", "failed", "cancelled", "expired")
REAL_SLEEP = time.sleep


@pytest.fixture
def quick(served_batches: ServedPlayground) -> ServedPlayground:
    return served_batches


@pytest.fixture
def client(quick: ServedPlayground) -> OpenAI:
    return OpenAI(api_key=KEY, base_url=quick.emulator_url, max_retries=0)


@pytest.fixture
def files(quick: ServedPlayground) -> genai.Client:
    return genai.Client(
        api_key=KEY, http_options=types.HttpOptions(base_url=quick.base_url + "/emulator/")
    )


def upload(files: genai.Client, lines: list[str]) -> str:
    uploaded = files.files.upload(
        file=io.BytesIO("\n".join(lines).encode()),
        config=types.UploadFileConfig(display_name="my-batch-requests", mime_type="jsonl"),
    )
    return uploaded.name


def wait(client: OpenAI, batch_id: str, limit: float = 20.0) -> Any:
    deadline = time.monotonic() + limit
    while (batch := client.batches.retrieve(batch_id)).status not in FINAL:
        assert time.monotonic() < deadline, f"batch still {batch.status}"
        time.sleep(0.2)
    return batch


def line(custom_id: str, body: dict[str, Any], url: str = "/v1/chat/completions") -> str:
    return json.dumps({"custom_id": custom_id, "method": "POST", "url": url, "body": body})


def test_the_cookbook_flow_runs_to_completion(client: OpenAI, files: genai.Client) -> None:
    file_name = upload(files, cookbook_input_lines())

    batch = client.batches.create(
        input_file_id=file_name, endpoint="/v1/chat/completions", completion_window="24h"
    )
    created_status = batch.status
    batch = wait(client, batch.id)
    output = files.files.download(file=batch.output_file_id).decode("utf-8")

    assert batch.id.startswith("batches/") and len(batch.id) == len("batches/") + 40
    assert created_status == "in_progress"
    assert batch.status == "completed"
    assert batch.request_counts.total == batch.request_counts.completed == 2
    assert batch.input_file_id == file_name
    assert batch.completed_at >= batch.created_at
    lines = [json.loads(text) for text in output.splitlines()]
    assert [item["custom_id"] for item in lines] == ["request-1", "request-2"]
    body = lines[0]["response"]["body"]
    assert lines[0]["response"]["status_code"] == 200
    assert isinstance(body["created"], str) and body["created"].isdigit()
    assert body["choices"][0]["finishReason"] == "stop"
    assert "index" not in body["choices"][0]
    assert set(body["usage"]) == {"completionTokens", "promptTokens", "totalTokens"}
    assert body["choices"][0]["message"]["content"].startswith("*(Emulator reply")


def test_progress_counts_grow_with_time(client: OpenAI, files: genai.Client) -> None:
    lines = [
        line(
            f"r{n}",
            {"model": "gemini-2.0-flash", "messages": [{"role": "user", "content": f"Q{n}"}]},
        )
        for n in range(40)
    ]
    batch = client.batches.create(
        input_file_id=upload(files, lines), endpoint="/v1/chat/completions", completion_window="24h"
    )

    seen = []
    while (batch := client.batches.retrieve(batch.id)).status == "in_progress":
        seen.append(batch.request_counts.completed)
        time.sleep(0.1)

    assert seen == sorted(seen)
    assert batch.request_counts.completed == 40


def test_it_answers_ids_with_an_encoded_slash_and_bare(
    client: OpenAI, files: genai.Client, quick: ServedPlayground
) -> None:
    batch = client.batches.create(
        input_file_id=upload(files, cookbook_input_lines()),
        endpoint="/v1/chat/completions",
        completion_window="24h",
    )
    bare = batch.id.removeprefix("batches/")
    auth = {"Authorization": f"Bearer {KEY}"}

    encoded = httpx2.get(quick.emulator_url + f"batches/batches%2F{bare}", headers=auth)
    plain = httpx2.get(quick.emulator_url + f"batches/{bare}", headers=auth)

    assert encoded.json()["id"] == plain.json()["id"] == batch.id


def test_a_line_that_fails_is_written_as_an_error_and_counted(
    client: OpenAI, files: genai.Client
) -> None:
    lines = [
        line(
            "good", {"model": "gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}]}
        ),
        line("bad", {"model": "gemini-9-ultra", "messages": [{"role": "user", "content": "Hi"}]}),
    ]

    batch = wait(
        client,
        client.batches.create(
            input_file_id=upload(files, lines),
            endpoint="/v1/chat/completions",
            completion_window="24h",
        ).id,
    )
    output = [
        json.loads(text) for text in files.files.download(file=batch.output_file_id).splitlines()
    ]

    assert (batch.request_counts.completed, batch.request_counts.failed) == (1, 1)
    assert output[1]["custom_id"] == "bad"
    assert output[1]["response"]["status_code"] == 404
    assert output[1]["response"]["body"]["error"]["status"] == "NOT_FOUND"


def test_the_seed_embeddings_batch_runs_line_by_line(client: OpenAI, files: genai.Client) -> None:
    # Google's example, typo included: the first line names "ggemini-embedding-001".
    seed = [
        '{"custom_id": "request-1", "method": "POST", "url": "/v1/embeddings", "body": '
        '{"model": "ggemini-embedding-001", "messages": [{"role": "user", "content": '
        '"Tell me a one-sentence joke."}]}}',
        '{"custom_id": "request-2", "method": "POST", "url": "/v1/embeddings", "body": '
        '{"model": "gemini-embedding-001", "messages": [{"role": "user", "content": '
        '"Why is the sky blue?"}]}}',
        line(
            "request-3", {"model": "gemini-embedding-001", "input": "Plain input"}, "/v1/embeddings"
        ),
    ]

    batch = wait(
        client,
        client.batches.create(
            input_file_id=upload(files, seed), endpoint="/v1/embeddings", completion_window="24h"
        ).id,
    )
    output = [
        json.loads(text) for text in files.files.download(file=batch.output_file_id).splitlines()
    ]

    assert (batch.request_counts.completed, batch.request_counts.failed) == (2, 1)
    assert output[0]["response"]["status_code"] == 404
    for item in output[1:]:
        body = item["response"]["body"]
        assert len(body["data"][0]["embedding"]) == 3072
        assert set(body["usage"]) == {"promptTokens", "totalTokens"}


def test_a_file_with_bad_lines_fails_the_batch_with_line_numbers(
    client: OpenAI, files: genai.Client
) -> None:
    lines = [*cookbook_input_lines(), "{broken", cookbook_input_lines()[0]]

    batch = client.batches.create(
        input_file_id=upload(files, lines), endpoint="/v1/chat/completions", completion_window="24h"
    )

    assert batch.status == "failed"
    assert [(error.line, error.code) for error in batch.errors.data] == [
        (3, "invalid_request"),
        (4, "invalid_request"),
    ]
    assert "repeats custom_id 'request-1'" in batch.errors.data[1].message


def test_cancelling_keeps_what_already_ran(client: OpenAI, files: genai.Client) -> None:
    lines = [
        line(f"r{n}", {"model": "gemini-2.0-flash", "messages": [{"role": "user", "content": "x"}]})
        for n in range(30)
    ]
    batch = client.batches.create(
        input_file_id=upload(files, lines), endpoint="/v1/chat/completions", completion_window="24h"
    )

    cancelling = client.batches.cancel(batch.id)
    cancelled = client.batches.retrieve(batch.id)
    with pytest.raises(openai.BadRequestError) as again:
        client.batches.cancel(batch.id)

    assert cancelling.status == "cancelling"
    assert cancelled.status == "cancelled" and cancelled.cancelled_at
    assert cancelled.request_counts.completed < 30
    assert "Cannot cancel a batch with status cancelled" in again.value.body[0]["error"]["message"]
    if cancelled.output_file_id:
        kept = files.files.download(file=cancelled.output_file_id).decode().splitlines()
        assert len(kept) == cancelled.request_counts.completed


def test_it_lists_batches_newest_first(client: OpenAI, files: genai.Client) -> None:
    made = [
        client.batches.create(
            input_file_id=upload(files, cookbook_input_lines()),
            endpoint="/v1/chat/completions",
            completion_window="24h",
        ).id
        for _ in range(3)
    ]

    page = client.batches.list(limit=2)

    assert [batch.id for batch in page.data] == made[::-1][:2]
    assert page.has_more


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"endpoint": "/v1/responses"}, 400, "Invalid endpoint: /v1/responses"),
        ({"completion_window": "1h"}, 400, "Invalid completion_window: 1h"),
        ({"input_file_id": "files/nosuchfile"}, 403, "files/nosuchfile or it may not exist"),
        ({"model": "x"}, 400, 'Unknown name "model"'),
    ],
)
def test_it_refuses_a_bad_create(
    quick: ServedPlayground, files: genai.Client, fields: dict, status: int, words: str
) -> None:
    body = {
        "input_file_id": upload(files, cookbook_input_lines()),
        "endpoint": "/v1/chat/completions",
        "completion_window": "24h",
        **fields,
    }

    response = httpx2.post(
        quick.emulator_url + "batches", json=body, headers={"Authorization": f"Bearer {KEY}"}
    )

    assert response.status_code == status
    assert words in error_of(response)["message"]


def test_another_server_process_on_the_same_database_carries_on(
    quick: ServedPlayground, files: genai.Client, client: OpenAI
) -> None:
    """Nothing lives in one process's memory: a restarted or second worker finishes the job."""
    file_name = upload(files, cookbook_input_lines())
    batch_id = client.batches.create(
        input_file_id=file_name, endpoint="/v1/chat/completions", completion_window="24h"
    ).id
    other = batch_server(quick.data_dir)
    try:
        with OpenAI(api_key=KEY, base_url=other.emulator_url) as elsewhere:
            batch = wait(elsewhere, batch_id)
    finally:
        other.stop()

    assert batch.status == "completed"
    assert batch.input_file_id == file_name
    assert client.batches.retrieve(batch_id).output_file_id == batch.output_file_id
