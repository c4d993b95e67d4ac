"""Reads for the batch workbench."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.safestring import mark_safe

from playground.batches.models import BatchJob
from playground.get_code.snippets import Snippet, snippets_render
from playground.llm import Provider, UpstreamError, batch_code_request
from playground.runs.markdown import render_markdown

RESULTS_PER_PAGE = 50
# Results never change once fetched, so a page's answers are rendered once and kept a while.
ANSWER_HTML_SECONDS = 24 * 3600
CODE_FILE_NAME = "my-batch-requests.jsonl"


def jobs_of(*, user: AbstractBaseUser) -> QuerySet[BatchJob]:
    return BatchJob.objects.filter(user=user).defer("input_jsonl", "output_jsonl", "results")


def job_of(*, user: AbstractBaseUser, job_id: int) -> BatchJob | None:
    return BatchJob.objects.filter(user=user, pk=job_id).first()


def _answers_html(job: BatchJob, page: Page) -> list[str]:
    """Each answer on the page as chat shows one: markdown, sanitised ("" for errors and
    embeddings)."""
    fetched = job.results_fetched_at.timestamp() if job.results_fetched_at else 0
    key = f"batch-answers:{job.pk}:{fetched}:{page.number}"
    rendered = cache.get(key)
    if not isinstance(rendered, list) or len(rendered) != len(page.object_list):
        rendered = [
            render_markdown(row["answer"]) if row.get("answer") and not row.get("error") else ""
            for row in page.object_list
        ]
        cache.set(key, rendered, ANSWER_HTML_SECONDS)
    return rendered


def results_page(*, job: BatchJob, number: object) -> Page | None:
    """One page of the results table, each row with its answer rendered (`answer_html`)."""
    if job.results is None:
        return None
    page = Paginator(job.results, RESULTS_PER_PAGE).get_page(number)
    rows: list[dict[str, Any]] = list(page.object_list)
    page.object_list = [
        # render_markdown's output: nh3-sanitised, no raw HTML or images.
        {**row, "answer_html": mark_safe(html)}
        for row, html in zip(rows, _answers_html(job, page), strict=True)
    ]
    return page


def flow_code(*, provider: Provider, endpoint: str, display_name: str) -> list[Snippet] | None:
    """The documented flow for this file; None where the provider has no Files API."""
    try:
        code = batch_code_request(
            provider, endpoint=endpoint, file_name=CODE_FILE_NAME, display_name=display_name
        )
    except UpstreamError:
        return None
    return snippets_render(code=code)
