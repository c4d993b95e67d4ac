"""Reads for the batch workbench."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from playground.batches.models import BatchJob
from playground.catalog.selectors import model_listing_get
from playground.get_code.snippets import Snippet, snippets_render
from playground.llm.catalog import CHAT, EMBEDDINGS, capabilities_of
from playground.llm.code_requests import batch_code_request
from playground.llm.embeddings import DEFAULT_EMBEDDING_MODELS
from playground.llm.errors import UpstreamError
from playground.llm.providers import Provider

RESULTS_PER_PAGE = 50
DEFAULT_BATCH_MODEL = "gemini-2.5-flash"
CODE_FILE_NAME = "my-batch-requests.jsonl"


def jobs_of(*, user: AbstractBaseUser) -> QuerySet[BatchJob]:
    return BatchJob.objects.filter(user=user).defer("input_jsonl", "output_jsonl", "results")


def job_of(*, user: AbstractBaseUser, job_id: int) -> BatchJob | None:
    return BatchJob.objects.filter(user=user, pk=job_id).first()


async def batch_model_ids(*, provider: Provider) -> list[str]:
    """Models a batch line can name: the provider's chat and embedding models."""
    try:
        listing = await model_listing_get(provider=provider)
    except UpstreamError:
        return [DEFAULT_BATCH_MODEL, *DEFAULT_EMBEDDING_MODELS]
    usable = {CHAT, EMBEDDINGS}
    return [m.bare_id for m in listing.models if usable & capabilities_of(m.bare_id)]


def results_page(*, job: BatchJob, number: object) -> Page | None:
    if job.results is None:
        return None
    return Paginator(job.results, RESULTS_PER_PAGE).get_page(number)


def flow_code(*, provider: Provider, endpoint: str, display_name: str) -> list[Snippet] | None:
    """The documented flow for this file; None where the provider has no Files API."""
    try:
        code = batch_code_request(
            provider, endpoint=endpoint, file_name=CODE_FILE_NAME, display_name=display_name
        )
    except UpstreamError:
        return None
    return snippets_render(code=code)
