"""Every model request (images, video, embeddings, batches) goes through the per-person limit
chat and compare have (issue 18, finding 6): in a minute chat refuses, they refuse too, and
send and store nothing. Batch lines keep under the output ceiling. The lower layers (limits,
workers) learn about chat and compare from a registry, not by importing them (issue 14)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.test import Client

from playground.batches.models import BatchJob
from playground.catalog import selectors
from playground.embeddings.models import EmbeddingRun
from playground.images.models import ImageGeneration
from playground.limits.admission import RequestRefused, requests_admit
from playground.video.models import VideoJob
from playground.workers.stream_sources import stream_sources
from tests.test_boundaries import in_package, reaches, sources

pytestmark = pytest.mark.django_db

FEATURE_APPS = tuple(
    f"playground.{app}"
    for app in ("chat", "compare", "sharing", "media", "images", "video", "embeddings",
                "batches", "catalog", "accounts", "benchmark")
)  # fmt: skip
REFUSED = "requests a minute one person may send"
LINE = json.dumps({"custom_id": "a", "method": "POST", "url": "/v1/chat/completions",
                   "body": {"model": "gemini-2.5-flash",
                            "messages": [{"role": "user", "content": "hi"}]}})  # fmt: skip


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """Upstream calls made by the pages, recorded instead of sent; the model lists are fixed."""
    from playground.batches import views as batch_views
    from playground.embeddings import services as embedding_services
    from playground.images import views as image_views
    from playground.video import views as video_views

    calls: list[str] = []

    async def listed(*args: object, **kwargs: object) -> list[str]:
        return ["gemini-2.5-flash-image", "veo-3.1-generate-preview", "gemini-embedding-001",
                "gemini-2.5-flash"]  # fmt: skip

    async def generate(request: object, **given: object) -> list:
        calls.append("images")
        return []

    async def create_video(request: object, **given: object) -> object:
        calls.append("video")
        raise AssertionError("not reached in these tests")

    async def embed(provider: object, spec: object) -> object:
        calls.append("embeddings")
        return SimpleNamespace(size=2, vectors=[[0.6, 0.8]] * len(spec.texts), prompt_tokens=2)

    def submit(**given: object) -> BatchJob:
        calls.append("batch")
        raise AssertionError("not reached in these tests")

    monkeypatch.setattr(selectors, "model_ids", listed)
    monkeypatch.setattr(image_views, "generate_images", generate)
    monkeypatch.setattr(video_views, "create_video", create_video)
    monkeypatch.setattr(embedding_services, "embed_texts", embed)
    monkeypatch.setattr(batch_views, "batch_job_submit", submit)
    return calls


@pytest.fixture
def ada(client: Client, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LIMIT_REQUESTS_PER_MINUTE = 3
    user = django_user_model.objects.create_user("ada", password=None)
    client.force_login(user)
    return SimpleNamespace(client=client, user=user)


def post_images(client: Client, n: int = 1):
    return client.post("/images/", {"model": "gemini-2.5-flash-image", "prompt": "A cat",
                                    "n": n, "response_format": "b64_json"})  # fmt: skip


def post_video(client: Client):
    return client.post("/video/", {"model": "veo-3.1-generate-preview", "prompt": "A fox"})


def post_embeddings(client: Client):
    return client.post("/embeddings/", {"model": "gemini-embedding-001", "dimensions": "",
                                        "texts": "one\ntwo"})  # fmt: skip


def post_batch(client: Client):
    return client.post("/batches/", {"endpoint": "/v1/chat/completions", "display_name": "",
                                     "jsonl_text": LINE, "action": "submit"})  # fmt: skip


def test_in_a_minute_chat_refuses_every_other_model_request_is_refused(ada, sent) -> None:
    requests_admit(user_id=ada.user.pk, count=3)  # the minute used up, as by chat
    with pytest.raises(RequestRefused):
        requests_admit(user_id=ada.user.pk)

    answers = [post(ada.client) for post in (post_images, post_video, post_embeddings,
                                             post_batch)]  # fmt: skip

    for answer in answers:
        assert answer.status_code == 400
        assert REFUSED in answer.content.decode(), answer.content[:300]
    assert sent == [], "nothing went upstream"
    assert ImageGeneration.objects.count() == VideoJob.objects.count() == 0
    assert EmbeddingRun.objects.count() == BatchJob.objects.count() == 0


def test_model_requests_count_toward_the_minute(ada, sent) -> None:
    first = post_embeddings(ada.client)
    images = post_images(ada.client, n=2)  # each image asked for counts

    refused = post_embeddings(ada.client)

    assert first.status_code == 302 and images.status_code != 400
    assert sent == ["embeddings", "images"]
    assert refused.status_code == 400 and REFUSED in refused.content.decode()
    assert EmbeddingRun.objects.count() == 1


def test_a_batch_line_above_the_output_ceiling_is_a_line_problem(ada, settings, sent) -> None:
    settings.MAX_OUTPUT_TOKENS_CEILING = 1000
    line = json.loads(LINE)
    line["body"]["max_tokens"] = 5000

    response = ada.client.post("/batches/", {"endpoint": "/v1/chat/completions",
                                             "display_name": "", "jsonl_text": json.dumps(line),
                                             "action": "submit"})  # fmt: skip

    assert response.status_code == 400
    assert "body.max_tokens is 5,000, above this playground&#x27;s ceiling of 1,000" in (
        response.text
    )
    assert sent == []


def test_limits_and_workers_import_no_feature_app() -> None:
    offenders = {
        module: reaches(imports, FEATURE_APPS)
        for module, imports in sources()
        if (in_package(module, "playground.limits") or in_package(module, "playground.workers"))
        and reaches(imports, FEATURE_APPS)
    }

    assert offenders == {}


def test_chat_and_compare_register_their_streaming_rows() -> None:
    registered = {source.kind: source.model._meta.label for source in stream_sources()}

    assert registered == {"turn": "chat.Turn", "pane": "compare.Pane"}


def test_streaming_rows_are_found_without_reading_every_reply_ever_stored() -> None:
    """Admission counts a person's streaming rows twice before every send, and the heartbeat
    sweep reads everyone's: through the partial index on the few rows still streaming (with
    20,000 turns the count read the person's every turn: 3.3 ms a check, 0.7 with it)."""
    for source in stream_sources():
        index = f"{source.model._meta.db_table}_streaming"

        assert index in source.streaming_rows_of(1).explain()
        assert index in source.streaming_rows().explain()
