"""The embeddings lab against the served emulator: embed, compare, download, refuse."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from playground.embeddings.models import EmbeddingRun
from tests.servers import free_port

pytestmark = pytest.mark.django_db

FIVE = [
    "The cat sat on the mat.",
    "A cat was sitting on the mat.",
    "Quarterly revenue grew by five percent.",
    "Revenue for the quarter grew 5%.",
    "How do I bake sourdough bread?",
]


def embed(client: Client, texts: list[str], **fields: object):
    data = {"model": "gemini-embedding-001", "dimensions": "", "texts": "\n".join(texts), **fields}
    return client.post("/embeddings/", data)


def neighbours_on(page: str) -> dict[int, int]:
    """Text number -> its nearest neighbour's number, as the table shows them."""
    table = page.split('id="embedding-table"')[1]
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>.*?<strong>#(\d+)</strong>", table, re.S)
    return {int(number): int(neighbour) for number, neighbour in rows}


def test_it_embeds_five_texts_and_shows_the_heatmap(signed_in: Client, emulator_url: str) -> None:
    response = embed(signed_in, FIVE)

    run = EmbeddingRun.objects.get()
    assert response.status_code == 302
    assert response.url == f"/embeddings/{run.pk}/"
    page = signed_in.get(response.url).text
    assert "5 texts · gemini-embedding-001 · 3072 dimensions" in page
    assert page.count('class="hm-cell"') == 25
    assert page.count("hm-row-label") == 5
    found = neighbours_on(page)
    assert len(found) == 5
    assert {number: found[number] for number in (1, 2, 3, 4)} == {1: 2, 2: 1, 3: 4, 4: 3}


def test_it_honours_the_chosen_dimensions(signed_in: Client, emulator_url: str) -> None:
    embed(signed_in, FIVE[:2], dimensions="768")

    run = EmbeddingRun.objects.get()
    assert run.size == 768
    assert len(run.unpacked()[0]) == 768
    # Only full-length vectors come back normalised.
    assert "<td>768</td>" in signed_in.get(f"/embeddings/{run.pk}/").text


def test_it_reads_texts_from_a_csv_file_with_a_text_column(
    signed_in: Client, emulator_url: str
) -> None:
    upload = SimpleUploadedFile("texts.csv", b'id,text\n1,first line\n2,"second, with a comma"\n')

    response = signed_in.post(
        "/embeddings/", {"model": "gemini-embedding-001", "texts": "", "texts_file": upload}
    )

    assert response.status_code == 302
    assert EmbeddingRun.objects.get().texts == ["first line", "second, with a comma"]


def test_it_downloads_the_vectors_as_json_and_csv(signed_in: Client, emulator_url: str) -> None:
    embed(signed_in, FIVE[:3], dimensions="128")
    run = EmbeddingRun.objects.get()

    as_json = signed_in.get(f"/embeddings/{run.pk}/vectors.json")
    as_csv = signed_in.get(f"/embeddings/{run.pk}/vectors.csv")

    payload = json.loads(as_json.content)
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert "attachment" in as_json["Content-Disposition"]
    assert payload["model"] == "gemini-embedding-001"
    assert [item["text"] for item in payload["data"]] == FIVE[:3]
    assert all(len(item["embedding"]) == 128 for item in payload["data"])
    assert rows[0][:3] == ["index", "text", "d0"] and len(rows[0]) == 130
    assert rows[2][1] == FIVE[1]
    assert float(rows[2][2]) == pytest.approx(payload["data"][1]["embedding"][0])


def test_the_page_offers_code_for_the_request_as_sent(signed_in: Client, emulator_url: str) -> None:
    embed(signed_in, FIVE[:2], dimensions="768")
    page = signed_in.get(f"/embeddings/{EmbeddingRun.objects.get().pk}/").text

    assert "Get code" in page
    assert "client.embeddings.create(" in page
    assert "dimensions=768," in page
    assert "Bearer $GEMINI_API_KEY" in page
    assert emulator_url + "embeddings" in page


def test_a_run_is_only_reachable_by_its_owner(
    signed_in: Client, stranger: Client, emulator_url: str
) -> None:
    embed(signed_in, FIVE[:2])
    run = EmbeddingRun.objects.get()

    for path in ("", "vectors.json", "vectors.csv"):
        assert stranger.get(f"/embeddings/{run.pk}/{path}").status_code == 404
        assert signed_in.get(f"/embeddings/{run.pk}/{path}").status_code == 200
    assert f"/embeddings/{run.pk}/" not in stranger.get("/embeddings/").text
    assert f"/embeddings/{run.pk}/" in signed_in.get("/embeddings/").text


@pytest.mark.parametrize(
    ("texts", "upload", "message"),
    [
        ([], None, "Enter at least one text"),
        ([f"text {n}" for n in range(101)], None, "101 texts given; at most 100"),
        (["x" * 8001], None, "at most 8,000 each"),
        (["in the box"], SimpleUploadedFile("t.txt", b"in a file"), "not both"),
        ([], SimpleUploadedFile("t.txt", b"\xff\xfe\x00bad"), "not UTF-8 text"),
        ([], SimpleUploadedFile("t.csv", b"text\n\n"), "holds no text"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(
    signed_in: Client,
    emulator_url: str,
    texts: list[str],
    upload: SimpleUploadedFile | None,
    message: str,
) -> None:
    data: dict[str, object] = {"model": "gemini-embedding-001", "texts": "\n".join(texts)}
    if upload:
        data["texts_file"] = upload

    response = signed_in.post("/embeddings/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert EmbeddingRun.objects.count() == 0


def test_it_keeps_the_texts_when_the_endpoint_cannot_be_reached(
    signed_in: Client, settings
) -> None:
    settings.EMULATOR_BASE_URL = f"http://127.0.0.1:{free_port()}/v1beta/openai/"
    settings.UPSTREAM_MAX_RETRIES = 0

    response = embed(signed_in, FIVE[:2])

    assert response.status_code == 502
    assert "Could not reach the model endpoint" in response.text
    assert FIVE[1] in response.text
    assert EmbeddingRun.objects.count() == 0


def test_the_model_page_link_preselects_the_model(signed_in: Client, emulator_url: str) -> None:
    page = signed_in.get("/embeddings/?model=gemini-embedding-2-preview").text

    assert re.search(r'<option value="gemini-embedding-2-preview" selected>', page)


STAND_IN = 'id="stand-in-note"'


def test_the_emulator_s_vectors_are_called_a_stand_in(signed_in: Client, emulator_url: str) -> None:
    assert STAND_IN in signed_in.get("/embeddings/").text

    embed(signed_in, FIVE[:2])
    page = signed_in.get(f"/embeddings/{EmbeddingRun.objects.get().pk}/").text

    assert page.count(STAND_IN) == 1
    assert "a stand-in" in page


def test_no_stand_in_is_named_when_a_real_key_is_set(
    signed_in: Client, django_user_model, settings
) -> None:
    settings.GEMINI_API_KEY = "a-key"
    settings.GEMINI_BASE_URL = f"http://127.0.0.1:{free_port()}/v1beta/openai/"
    settings.UPSTREAM_MAX_RETRIES = 0
    owner = django_user_model.objects.get()
    made = {"user": owner, "base_url": settings.GEMINI_BASE_URL, "model": "gemini-embedding-001"}
    vectors = EmbeddingRun.pack(((1.0, 0.0), (0.0, 1.0)))
    gemini = EmbeddingRun.objects.create(
        provider_name="gemini", texts=["a", "b"], size=2, vectors=vectors, **made
    )
    earlier = EmbeddingRun.objects.create(
        provider_name="emulator", texts=["a", "b"], size=2, vectors=vectors, **made
    )

    # Gemini is picked: the note waits, hidden, for the emulator to be picked.
    assert f"{STAND_IN} hidden" in signed_in.get("/embeddings/").text
    assert f"{STAND_IN} hidden" in signed_in.get(f"/embeddings/{gemini.pk}/").text
    # Vectors the emulator made earlier are still its stand-ins.
    assert STAND_IN in signed_in.get(f"/embeddings/{earlier.pk}/").text
