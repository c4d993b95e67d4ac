"""The batch workbench against a quick emulator: check, submit, follow, read, cancel, refuse."""

from __future__ import annotations

import json
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from playground.batches import services
from playground.batches.models import BatchJob, BatchStatus
from playground.catalog import selectors
from playground.llm.batch_output import BatchResult
from playground.llm.errors import UpstreamError
from tests.batches.cookbook import cookbook_input_lines
from tests.servers import free_port

pytestmark = pytest.mark.django_db

CHAT = "/v1/chat/completions"


@pytest.fixture(autouse=True)
def ask_upstream_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The few seconds between two looks at the upstream would only slow these tests."""
    monkeypatch.setattr(services, "REFRESH_SECONDS", 0.0)


async def unreachable(provider: object) -> list:
    raise UpstreamError("Could not reach the model endpoint.", kind="connection")


def submit(client: Client, text: str, action: str = "submit", **fields: object):
    data = {"endpoint": CHAT, "display_name": "", "jsonl_text": text, "action": action, **fields}
    return client.post("/batches/", data)


def settle(client: Client, job: BatchJob, limit: float = 15.0) -> str:
    """Polls the job page as htmx does until the batch is settled; returns the last fragment."""
    deadline = time.monotonic() + limit
    while True:
        fragment = client.get(f"/batches/{job.pk}/", headers={"HX-Request": "true"}).text
        job.refresh_from_db()
        if job.is_settled:
            return fragment
        assert time.monotonic() < deadline, f"still {job.status}"
        time.sleep(0.3)


def test_check_lists_problems_by_line_and_sends_nothing(
    signed_in: Client, batches_emulator_url: str
) -> None:
    lines = [*cookbook_input_lines(), "{oops", cookbook_input_lines()[0]]

    response = submit(signed_in, "\n".join(lines), action="submit")

    assert response.status_code == 400
    assert "2 problems: nothing was sent." in response.text
    assert "<strong>Line 3</strong>: Not valid JSON" in response.text
    assert "<strong>Line 4</strong>: custom_id “request-1” is already used on line 1." in (
        response.text
    )
    assert BatchJob.objects.count() == 0


def test_check_lists_every_problem_of_a_line_each_on_its_own(
    signed_in: Client, batches_emulator_url: str
) -> None:
    everything_wrong = json.dumps({"method": "GET", "url": CHAT, "body": {"messages": []}})
    lines = [cookbook_input_lines()[0], everything_wrong, *["{oops"] * 204]

    page = submit(signed_in, "\n".join(lines), action="check").text

    assert "208 problems on 205 lines: nothing was sent." in page
    item = page.split("<strong>Line 2</strong>")[1].split("<strong>Line 3</strong>")[0]
    fields = ["custom_id", "method", "body.model", "body.messages"]
    assert re.findall(r"<li>(\w[\w.]*) ", item) == fields
    assert page.count("Not valid JSON") == 199
    assert "…and 5 more lines with problems, not shown." in page


def test_check_of_a_clean_file_says_so(signed_in: Client, batches_emulator_url: str) -> None:
    response = submit(signed_in, "\n".join(cookbook_input_lines()), action="check")

    assert response.status_code == 200
    assert "2 requests, all well formed." in response.text
    assert BatchJob.objects.count() == 0


def test_a_checked_upload_stays_in_the_box(signed_in: Client, batches_emulator_url: str) -> None:
    upload = SimpleUploadedFile("batch.jsonl", "\n".join(cookbook_input_lines()).encode())

    response = signed_in.post(
        "/batches/", {"endpoint": CHAT, "jsonl_file": upload, "action": "check"}
    )

    assert "2 requests, all well formed." in response.text
    assert "Why is the sky blue?" in response.text.split('id="id_jsonl_text"')[1]


def test_a_batch_runs_to_completion_and_its_results_are_fetched_once(
    signed_in: Client, batches_emulator_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads: list[str] = []
    real_download = services.download_file

    async def counting(provider, file_id):
        downloads.append(file_id)
        return await real_download(provider, file_id)

    monkeypatch.setattr(services, "download_file", counting)
    response = submit(signed_in, "\n".join(cookbook_input_lines()), display_name="jokes")

    job = BatchJob.objects.get()
    assert response.status_code == 302 and response.url == f"/batches/{job.pk}/"
    assert job.status == BatchStatus.IN_PROGRESS
    assert job.upstream_id.startswith("batches/") and job.input_file_id.startswith("files/")
    first = signed_in.get(response.url).text
    assert 'hx-trigger="every 2s"' in first
    fragment = settle(signed_in, job)
    assert job.status == BatchStatus.COMPLETED
    assert 'hx-trigger="every 2s"' not in fragment
    assert fragment.count('class="result-ok"') == 2
    assert "request-1" in fragment and "You asked: “Tell me a one-sentence joke.”" in fragment
    assert "2 of 2 done · 2 succeeded · 0 failed" in fragment
    for _ in range(3):
        signed_in.get(f"/batches/{job.pk}/")
    assert downloads == [job.output_file_id]
    output = signed_in.get(f"/batches/{job.pk}/output.jsonl")
    assert [json.loads(line)["custom_id"] for line in output.text.splitlines()] == [
        "request-1",
        "request-2",
    ]


def test_the_upstream_is_asked_at_most_once_per_refresh_window(
    signed_in: Client, batches_emulator_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(signed_in, "\n".join(cookbook_input_lines()))
    job = BatchJob.objects.get()
    asked: list[str] = []

    async def retrieve(provider, batch_id):
        asked.append(batch_id)
        raise AssertionError("not this often")

    monkeypatch.setattr(services, "REFRESH_SECONDS", 60.0)
    monkeypatch.setattr(services, "retrieve_batch", retrieve)
    for _ in range(4):
        assert signed_in.get(f"/batches/{job.pk}/").status_code == 200

    assert asked == []


def test_a_failing_line_shows_its_error_in_the_table(
    signed_in: Client, batches_emulator_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The model list cannot be had, so a model no one lists is left to the endpoint to refuse.
    monkeypatch.setattr(selectors, "list_models", unreachable)
    bad = json.loads(cookbook_input_lines()[1])
    bad["body"]["model"] = "gemini-9-ultra"
    submit(signed_in, "\n".join([cookbook_input_lines()[0], json.dumps(bad)]))

    fragment = settle(signed_in, BatchJob.objects.get())

    assert fragment.count('class="result-failed"') == 1
    assert "NOT_FOUND: models/gemini-9-ultra is not found" in fragment


def test_a_running_batch_can_be_cancelled(signed_in: Client, batches_emulator_url: str) -> None:
    lines = [
        json.dumps({**json.loads(cookbook_input_lines()[0]), "custom_id": f"r{n}"})
        for n in range(30)
    ]
    submit(signed_in, "\n".join(lines))
    job = BatchJob.objects.get()

    response = signed_in.post(f"/batches/{job.pk}/cancel", follow=True)
    settle(signed_in, job)

    assert "Cancelling: requests already run are kept." in response.text
    assert job.status == BatchStatus.CANCELLED
    assert job.completed_count < 30
    if job.completed_count:
        # What ran before the cancel is kept; the rest is named as missing.
        assert len(job.results) == 30
        assert sum(1 for row in job.results if row["error"]) == 30 - job.completed_count
    else:
        assert "cancelled before any request ran" in signed_in.get(f"/batches/{job.pk}/").text


def test_a_batch_is_only_reachable_by_its_owner(
    signed_in: Client, stranger: Client, batches_emulator_url: str
) -> None:
    submit(signed_in, "\n".join(cookbook_input_lines()))
    job = BatchJob.objects.get()

    for path in ("", "input.jsonl", "output.jsonl"):
        assert stranger.get(f"/batches/{job.pk}/{path}").status_code == 404
    for path in ("", "input.jsonl"):
        assert signed_in.get(f"/batches/{job.pk}/{path}").status_code == 200
    assert stranger.post(f"/batches/{job.pk}/cancel").status_code == 404
    assert f"/batches/{job.pk}/" not in stranger.get("/batches/").text
    assert f"/batches/{job.pk}/" in signed_in.get("/batches/").text


def test_building_from_a_template_fills_the_box_checked(
    signed_in: Client, batches_emulator_url: str
) -> None:
    response = signed_in.post(
        "/batches/",
        {
            "action": "build",
            "build_endpoint": CHAT,
            "model": "gemini-2.5-flash",
            "template": "Summarise: {input}",
            "inputs": "first\nsecond\nthird",
        },
    )

    box = response.text.split('id="id_jsonl_text"')[1].split("</textarea>")[0]
    assert response.status_code == 200
    assert "3 requests, all well formed." in response.text
    assert box.count("custom_id") == 3
    assert "Summarise: third" in box


def test_a_template_without_its_placeholder_is_refused(
    signed_in: Client, batches_emulator_url: str
) -> None:
    response = signed_in.post(
        "/batches/",
        {
            "action": "build",
            "build_endpoint": CHAT,
            "model": "gemini-2.5-flash",
            "template": "Summarise this",
            "inputs": "first",
        },
    )

    assert response.status_code == 400
    assert "Put {input} where each input goes." in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"jsonl_text": ""}, "Upload a JSONL file, paste its lines, or build one below."),
        (
            {"jsonl_text": "x", "jsonl_file": SimpleUploadedFile("a.jsonl", b"y")},
            "Upload a file or paste JSONL, not both",
        ),
        ({"jsonl_text": "x", "display_name": "<script>"}, "Use letters, digits, spaces"),
    ],
)
def test_it_refuses_a_form_it_cannot_use(
    signed_in: Client, batches_emulator_url: str, data: dict, message: str
) -> None:
    response = signed_in.post("/batches/", {"endpoint": CHAT, "action": "check", **data})

    assert response.status_code == 400
    assert message in response.text


def test_too_much_pasted_text_asks_for_a_file(
    signed_in: Client, batches_emulator_url: str, settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = submit(signed_in, "x" * 5000)

    assert response.status_code == 400
    assert "upload the JSONL as a file instead" in response.text


def test_an_unreachable_endpoint_leaves_a_job_that_says_why(signed_in: Client, settings) -> None:
    settings.EMULATOR_BASE_URL = f"http://127.0.0.1:{free_port()}/v1beta/openai/"
    settings.UPSTREAM_MAX_RETRIES = 0

    response = submit(signed_in, "\n".join(cookbook_input_lines()))

    job = BatchJob.objects.get()
    page = signed_in.get(response.url).text
    assert job.status == BatchStatus.SUBMIT_FAILED and job.is_settled
    assert "The batch was not submitted" in page
    assert 'hx-trigger="every 2s"' not in page
    assert job.input_jsonl.count("\n") == 2


def test_a_provider_without_a_files_api_is_named(signed_in: Client, settings) -> None:
    settings.EMULATOR_BASE_URL = "http://127.0.0.1:9/v1/"

    submit(signed_in, "\n".join(cookbook_input_lines()))

    job = BatchJob.objects.get()
    assert job.status == BatchStatus.SUBMIT_FAILED
    assert "has no Gemini Files API" in job.error["message"]


def test_answers_in_the_results_table_are_markdown_made_safe(
    signed_in: Client, django_user_model
) -> None:
    answers = [
        "**Blue light** scatters more:\n\n- shorter waves\n- Rayleigh",
        "Look <script>alert(1)</script> [here](javascript:alert(2)) ![x](https://e.example/p.png)",
    ]
    job = BatchJob.objects.create(
        user=django_user_model.objects.get(),
        provider_name="emulator",
        base_url="http://127.0.0.1:1/v1beta/openai/",
        display_name="markdown",
        endpoint=CHAT,
        input_jsonl="",
        request_count=2,
        status=BatchStatus.COMPLETED,
        output_file_id="files/out",
        results_fetched_at=timezone.now(),
        results=[
            BatchResult(f"request-{n}", 200, answer=answer, finish_reason="stop").as_dict()
            for n, answer in enumerate(answers, start=1)
        ],
    )

    page = signed_in.get(f"/batches/{job.pk}/").text

    table = page.split('id="results-table"')[1]
    assert "<p><strong>Blue light</strong> scatters more:</p>" in table
    assert "<li>shorter waves</li>" in table and "<li>Rayleigh</li>" in table
    assert "<script>alert(1)" not in table and "&lt;script&gt;alert(1)" in table
    assert 'href="javascript' not in table and "<img" not in table
