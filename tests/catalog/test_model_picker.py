"""One model list per capability, with one caching and failure rule, and one model field whose
picker offers those models on every page that takes one."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import async_to_sync
from django import forms
from django.core.cache import cache
from django.test import Client

from playground.catalog import selectors
from playground.catalog.capabilities import BATCH_LINE
from playground.catalog.fields import ModelField
from playground.catalog.selectors import (
    initial_model_id,
    model_ids,
    model_ids_recent_forget,
    model_listing_cache_key,
    model_listing_failure_key,
)
from playground.llm import active_provider
from playground.llm.catalog import CHAT, EMBEDDINGS, IMAGE_GENERATION, VIDEO_GENERATION
from playground.llm.errors import UpstreamError
from tests.catalog.conftest import FakeUpstream

pytestmark = pytest.mark.django_db

UNREACHABLE = UpstreamError("Could not reach the model endpoint.", kind="connection")


def offered(capability: str) -> list[str]:
    return async_to_sync(model_ids)(capability=capability)


@pytest.mark.parametrize(
    ("capability", "expected"),
    [
        (CHAT, ["gemini-2.5-flash", "gemini-2.0-flash", "aqa"]),
        (IMAGE_GENERATION, ["gemini-3-pro-image-preview"]),
        (VIDEO_GENERATION, ["veo-3.1-generate-preview"]),
        (EMBEDDINGS, ["gemini-embedding-001"]),
        (BATCH_LINE, ["gemini-2.5-flash", "gemini-2.0-flash", "gemini-embedding-001"]),
    ],
)
def test_each_capability_offers_the_providers_models_that_fit(
    upstream: FakeUpstream, capability: str, expected: list[str]
) -> None:
    assert offered(capability) == expected


def test_every_capability_shares_one_cached_list(upstream: FakeUpstream) -> None:
    for capability in (CHAT, IMAGE_GENERATION, VIDEO_GENERATION, EMBEDDINGS, BATCH_LINE):
        offered(capability)

    assert upstream.list_calls == ["emulator"]


def test_an_unknown_capability_is_a_programming_error(upstream: FakeUpstream) -> None:
    with pytest.raises(ValueError, match="No model picker for 'music'"):
        offered("music")


def test_a_failed_list_offers_nothing_and_is_not_asked_again_at_once(
    upstream: FakeUpstream,
) -> None:
    upstream.error = UNREACHABLE

    first = offered(IMAGE_GENERATION)
    upstream.error = None
    again = offered(VIDEO_GENERATION)

    assert first == [] and again == []
    assert upstream.list_calls == ["emulator"]


def test_the_models_page_asks_again_and_its_answer_serves_the_pickers(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    upstream.error = UNREACHABLE
    offered(CHAT)
    upstream.error = None

    page = signed_in.get("/models/")

    assert page.status_code == 200
    assert offered(VIDEO_GENERATION) == ["veo-3.1-generate-preview"]
    assert upstream.list_calls == ["emulator", "emulator"]


def test_the_refresh_button_forgets_a_failure_too(
    signed_in: Client, upstream: FakeUpstream
) -> None:
    upstream.error = UNREACHABLE
    offered(CHAT)
    upstream.error = None

    signed_in.post("/models/")

    assert offered(EMBEDDINGS) == ["gemini-embedding-001"]


def past_its_freshness() -> None:
    cache.delete(model_listing_cache_key(active_provider()))


def test_past_its_freshness_the_last_list_is_offered_at_once_and_asked_behind(
    upstream: FakeUpstream,
) -> None:
    offered(CHAT)
    past_its_freshness()
    upstream.hang = True
    model_ids_recent_forget()

    async def page() -> list[str]:
        ids = await model_ids(capability=CHAT)
        await asyncio.sleep(0.05)  # the server goes on; the request behind the page leaves
        return ids

    started = time.monotonic()
    assert async_to_sync(page)() == ["gemini-2.5-flash", "gemini-2.0-flash", "aqa"]
    assert time.monotonic() - started < 1
    assert upstream.list_calls == ["emulator", "emulator"]


def test_a_list_never_had_is_waited_for_a_moment_only(upstream: FakeUpstream, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "MODEL_LIST_PAGE_WAIT_SECONDS", 0.2)
    upstream.hang = True

    started = time.monotonic()
    assert offered(CHAT) == []  # any well-formed id
    assert time.monotonic() - started < 1


def test_after_a_failure_the_last_list_is_still_offered(upstream: FakeUpstream) -> None:
    offered(CHAT)
    past_its_freshness()
    upstream.error = UNREACHABLE

    async def two_pages() -> list[str]:
        model_ids_recent_forget()
        await model_ids(capability=CHAT)  # asks behind the page, which fails
        await asyncio.sleep(0.05)
        model_ids_recent_forget()
        return await model_ids(capability=VIDEO_GENERATION)

    assert async_to_sync(two_pages)() == ["veo-3.1-generate-preview"]
    assert cache.get(model_listing_failure_key(active_provider()))
    assert upstream.list_calls == ["emulator", "emulator"]


def test_pages_that_find_the_list_missing_share_one_request(upstream: FakeUpstream) -> None:
    async def five_pages() -> list[list[str]]:
        capabilities = (CHAT, IMAGE_GENERATION, VIDEO_GENERATION, EMBEDDINGS, BATCH_LINE)
        return await asyncio.gather(*(model_ids(capability=c) for c in capabilities))

    assert all(async_to_sync(five_pages)())
    assert upstream.list_calls == ["emulator"]


def test_a_page_starts_with_the_model_asked_for_else_the_default_else_the_first() -> None:
    listed = ["gemini-2.5-flash-image", "imagen-4.0-generate-001"]

    assert (
        initial_model_id(
            capability=IMAGE_GENERATION, model_ids=listed, wanted="models/imagen-4.0-generate-001"
        )
        == "imagen-4.0-generate-001"
    )
    assert initial_model_id(capability=IMAGE_GENERATION, model_ids=listed, wanted="nope") == (
        "gemini-2.5-flash-image"
    )
    assert initial_model_id(capability=VIDEO_GENERATION, model_ids=["veo-2.0"]) == "veo-2.0"
    assert initial_model_id(capability=VIDEO_GENERATION, model_ids=[]) == (
        "veo-3.1-generate-preview"
    )


class PickerForm(forms.Form):
    model = ModelField(capability=IMAGE_GENERATION)

    def __init__(self, *args, model_ids: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].offer(model_ids)


LISTED = ["gemini-2.5-flash-image", "gemini-3-pro-image-preview"]


@pytest.mark.parametrize(
    ("given", "listed", "message"),
    [
        ("", LISTED, "Choose a model."),
        ("gemini 2.5", LISTED, "That is not a model id (e.g. gemini-2.5-flash-image)."),
        ("../../etc", [], "That is not a model id (e.g. gemini-2.5-flash-image)."),
        (
            "gemini-2.5-flash",
            LISTED,
            "gemini-2.5-flash is not an image model of this provider. Pick one from the list.",
        ),
    ],
)
def test_the_field_refuses_with_one_message_per_mistake(
    given: str, listed: list[str], message: str
) -> None:
    form = PickerForm({"model": given}, model_ids=listed)

    assert not form.is_valid()
    assert form.errors["model"] == [message]


@pytest.mark.parametrize(
    ("given", "listed", "cleaned"),
    [
        ("models/gemini-3-pro-image-preview", LISTED, "gemini-3-pro-image-preview"),
        (" gemini-2.5-flash-image ", LISTED, "gemini-2.5-flash-image"),
        ("my-own-model:7b", [], "my-own-model:7b"),
    ],
)
def test_the_field_cleans_to_the_bare_id(given: str, listed: list[str], cleaned: str) -> None:
    form = PickerForm({"model": given}, model_ids=listed)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["model"] == cleaned


def test_the_picker_is_a_select_of_the_offered_models() -> None:
    form = PickerForm(initial={"model": "gemini-3-pro-image-preview"}, model_ids=LISTED)
    html = str(form["model"])

    assert html.startswith('<select name="model"') and 'id="id_model"' in html
    assert '<option value="gemini-2.5-flash-image">' in html
    assert '<option value="gemini-3-pro-image-preview" selected>' in html


def test_a_model_set_but_not_offered_stays_visible_and_marked() -> None:
    html = str(PickerForm(initial={"model": "imagen-3"}, model_ids=LISTED)["model"])

    assert '<option value="imagen-3" selected>imagen-3 (not listed)</option>' in html


def test_without_a_list_the_picker_is_a_text_box_that_keeps_what_was_typed() -> None:
    html = str(PickerForm({"model": '"><script>x</script>'}, model_ids=[])["model"])

    assert html.startswith('<input type="text" name="model"')
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html
    assert " required" in html


@pytest.mark.parametrize("path", ["/images/", "/video/", "/embeddings/", "/batches/"])
def test_every_page_offers_its_models_with_the_one_picker(
    signed_in: Client, upstream: FakeUpstream, path: str
) -> None:
    page = signed_in.get(path)
    picker = page.text.split('name="model"')[1].split("</select>")[0]

    assert page.status_code == 200
    assert "<option value=" in picker
    assert upstream.list_calls == ["emulator"]


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/images/", "gemini-3-pro-image-preview"),
        ("/video/", "veo-3.1-generate-preview"),
        ("/embeddings/", "gemini-embedding-001"),
        ("/batches/", "gemini-2.0-flash"),
    ],
)
def test_a_link_from_the_models_page_preselects_its_model(
    signed_in: Client, upstream: FakeUpstream, path: str, model: str
) -> None:
    page = signed_in.get(path, {"model": f"models/{model}"})

    assert f'<option value="{model}" selected>' in page.text
