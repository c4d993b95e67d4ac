"""Every object of the emulator (files, batches, videos) belongs to the API key that made it:
another key cannot list, read, download, use or cancel it, and is answered as for an object that
does not exist (issue 18, finding 2). The playground's own calls use a key made once per
installation and kept in the data folder."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from playground.emulator.models import EmulatedBatch, EmulatedFile, EmulatedVideo
from playground.environment import kept_secret
from playground.llm.providers import active_provider

pytestmark = pytest.mark.django_db

API = "/emulator/v1beta/openai"
OWNER, OTHER = "owner-key-1", "someone-elses-key"
LINE = {"custom_id": "private-1", "method": "POST", "url": "/v1/chat/completions",
        "body": {"model": "gemini-2.5-flash",
                 "messages": [{"role": "user", "content": "My private prompt"}]}}  # fmt: skip


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def upload(client: Client, key: str, content: bytes, name: str = "") -> str:
    """The genai SDK's resumable upload, in two requests; returns `files/...`."""
    metadata = {"file": {"displayName": "private input", **({"name": name} if name else {})}}
    started = client.post(
        "/emulator/upload/v1beta/files", json.dumps(metadata), content_type="application/json",
        headers={**auth(key), "X-Goog-Upload-Protocol": "resumable",
                 "X-Goog-Upload-Command": "start",
                 "X-Goog-Upload-Header-Content-Type": "application/jsonl"},
    )  # fmt: skip
    assert started.status_code == 200, started.content
    address = started["X-Goog-Upload-URL"].split("://", 1)[1].partition("/")[2]
    finished = client.post(
        f"/{address}", content, content_type="application/octet-stream",
        headers={"X-Goog-Upload-Command": "upload, finalize", "X-Goog-Upload-Offset": "0"},
    )  # fmt: skip
    assert finished.status_code == 200, finished.content
    return finished.json()["file"]["name"]


def batch_create(client: Client, key: str, file_name: str):
    body = {"input_file_id": file_name, "endpoint": "/v1/chat/completions",
            "completion_window": "24h"}  # fmt: skip
    return client.post(
        f"{API}/batches", json.dumps(body), content_type="application/json", headers=auth(key)
    )


@pytest.fixture
def owned(client: Client, settings) -> dict[str, str]:
    """A file, a finished batch with its output, and a video, all made with OWNER's key."""
    settings.EMULATOR_BATCH_SECONDS = 0
    settings.EMULATOR_VIDEO_SECONDS = 0
    file_name = upload(client, OWNER, (json.dumps(LINE) + "\n").encode())
    batch = batch_create(client, OWNER, file_name)
    assert batch.status_code == 200, batch.content
    batch_id = batch.json()["id"]
    done = client.get(f"{API}/{batch_id}", headers=auth(OWNER)).json()
    video = client.post(
        f"{API}/videos", json.dumps({"model": "veo-3.1-generate-preview", "prompt": "A fox"}),
        content_type="application/json", headers=auth(OWNER),
    )  # fmt: skip
    assert video.status_code == 200, video.content
    return {"file": file_name, "batch": batch_id, "output": done["output_file_id"],
            "video": video.json()["id"]}  # fmt: skip


def answer(response) -> tuple[int, str]:
    error = response.json()[0]["error"]
    return response.status_code, error["message"]


def test_the_owner_reads_what_it_made(client: Client, owned: dict[str, str]) -> None:
    files = client.get("/emulator/v1beta/files", headers=auth(OWNER)).json()["files"]
    batches = client.get(f"{API}/batches", headers=auth(OWNER)).json()["data"]
    output = client.get(f"/emulator/download/v1beta/{owned['output']}:download?alt=media",
                        headers=auth(OWNER))  # fmt: skip

    assert {f["name"] for f in files} == {owned["file"], owned["output"]}
    assert [b["id"] for b in batches] == [owned["batch"]]
    assert output.status_code == 200 and b"private-1" in output.content
    assert client.get(f"{API}/videos/{owned['video']}", headers=auth(OWNER)).status_code == 200


def test_another_key_lists_nothing(client: Client, owned: dict[str, str]) -> None:
    files = client.get("/emulator/v1beta/files", headers=auth(OTHER)).json()
    batches = client.get(f"{API}/batches", headers=auth(OTHER)).json()

    assert files.get("files", []) == []
    assert batches["data"] == [] and batches["has_more"] is False


def test_another_key_is_answered_as_for_an_object_that_does_not_exist(
    client: Client, owned: dict[str, str]
) -> None:
    def made_up(text: str) -> str:
        for name in owned.values():
            text = text.replace(name.rpartition("/")[2], "nosuchthing0")
        return text

    for path, method in [
        (f"/emulator/v1beta/{owned['file']}", "get"),
        (f"/emulator/v1beta/{owned['file']}", "delete"),
        (f"/emulator/v1beta/{owned['output']}", "get"),
        (f"/emulator/download/v1beta/{owned['output']}:download?alt=media", "get"),
        (f"{API}/{owned['batch']}", "get"),
        (f"{API}/{owned['batch']}/cancel", "post"),
        (f"{API}/videos/{owned['video']}", "get"),
        (f"{API}/videos/{owned['video']}/content", "get"),
    ]:
        call = getattr(client, method)
        theirs = call(path, headers=auth(OTHER))
        missing = call(made_up(path), headers=auth(OWNER))

        assert theirs.status_code == missing.status_code, path
        assert theirs.status_code in {403, 404}, path
        assert made_up(answer(theirs)[1]) == answer(missing)[1], path

    assert EmulatedFile.objects.filter(name=owned["file"].removeprefix("files/")).exists()


def test_another_key_cannot_batch_on_anothers_input_file(
    client: Client, owned: dict[str, str]
) -> None:
    response = batch_create(client, OTHER, owned["file"])

    assert response.status_code == 403
    assert answer(response)[1] == (
        f"You do not have permission to access the File {owned['file']} or it may not exist."
    )
    assert EmulatedBatch.objects.count() == 1


def test_another_key_cannot_cancel_anothers_batch(client: Client, settings) -> None:
    settings.EMULATOR_BATCH_SECONDS = 600
    file_name = upload(client, OWNER, (json.dumps(LINE) + "\n").encode())
    batch_id = batch_create(client, OWNER, file_name).json()["id"]

    refused = client.post(f"{API}/{batch_id}/cancel", headers=auth(OTHER))

    assert refused.status_code == 404
    assert EmulatedBatch.objects.get().status == "in_progress"


def test_another_key_cannot_extend_anothers_video(client: Client, owned: dict[str, str]) -> None:
    body = {"model": "veo-3.1-generate-preview", "prompt": "More fox",
            "extra_body": {"google": {"extend_video_id": owned["video"]}}}  # fmt: skip
    response = client.post(
        f"{API}/videos", json.dumps(body), content_type="application/json", headers=auth(OTHER)
    )

    assert response.status_code == 400
    assert "names no video" in answer(response)[1]
    assert EmulatedVideo.objects.count() == 1


def test_two_keys_may_each_name_a_file_alike(client: Client) -> None:
    first = upload(client, OWNER, b"{}\n", name="my-input")
    second = upload(client, OTHER, b"[]\n", name="my-input")

    assert first == second == "files/my-input"
    assert EmulatedFile.objects.filter(name="my-input").count() == 2


def test_the_key_itself_is_not_stored(client: Client, owned: dict[str, str]) -> None:
    for model in (EmulatedFile, EmulatedBatch, EmulatedVideo):
        for row in model.objects.values():
            assert OWNER not in json.dumps(row, default=str)


def test_the_playgrounds_own_key_is_made_once_and_kept_private() -> None:
    key_file = Path(settings.DATA_DIR) / "emulator_key"

    assert active_provider().is_emulator
    assert active_provider().api_key == settings.EMULATOR_API_KEY
    assert key_file.read_text().strip() == settings.EMULATOR_API_KEY
    assert len(settings.EMULATOR_API_KEY) >= 40
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_kept_secret_is_generated_once_and_given_one_wins(tmp_path: Path) -> None:
    path = tmp_path / "some_key"

    made = kept_secret("SOME_KEY", path=path, env={})

    assert kept_secret("SOME_KEY", path=path, env={}) == made
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert kept_secret("SOME_KEY", path=path, env={"SOME_KEY": "given"}) == "given"
