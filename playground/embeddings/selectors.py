"""Reads for the embeddings lab: the user's runs, the models to offer, a run's analysis."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from playground.catalog.selectors import model_listing_get
from playground.embeddings.models import EmbeddingRun
from playground.embeddings.similarity import (
    Heatmap,
    heatmap,
    nearest_neighbours,
    similarity_matrix,
)
from playground.get_code.snippets import Snippet, snippets_render
from playground.llm.catalog import EMBEDDINGS, capabilities_of
from playground.llm.code_requests import embedding_code_request
from playground.llm.embeddings import DEFAULT_EMBEDDING_MODELS, EmbeddingSpec
from playground.llm.errors import UpstreamError
from playground.llm.providers import Provider

PREVIEW_VALUES = 4


def runs_of(*, user: AbstractBaseUser) -> QuerySet[EmbeddingRun]:
    return EmbeddingRun.objects.filter(user=user).defer("vectors")


def run_of(*, user: AbstractBaseUser, run_id: int) -> EmbeddingRun | None:
    return EmbeddingRun.objects.filter(user=user, pk=run_id).first()


async def embedding_model_ids(*, provider: Provider) -> list[str]:
    """The provider's embedding models; Gemini's two when its list is unavailable or has none."""
    try:
        listing = await model_listing_get(provider=provider)
    except UpstreamError:
        return list(DEFAULT_EMBEDDING_MODELS)
    found = [m.bare_id for m in listing.models if EMBEDDINGS in capabilities_of(m.bare_id)]
    return found or list(DEFAULT_EMBEDDING_MODELS)


@dataclass(frozen=True, slots=True)
class TextRow:
    number: int
    text: str
    size: int
    norm: float
    preview: list[float]
    neighbour: int | None
    neighbour_text: str
    neighbour_score: float | None


@dataclass(frozen=True, slots=True)
class RunAnalysis:
    rows: list[TextRow]
    heatmap: Heatmap
    code: list[Snippet]


def run_analysis(*, run: EmbeddingRun) -> RunAnalysis:
    vectors = run.unpacked()
    matrix = similarity_matrix(vectors)
    rows = []
    for index, (text, vector, nearest) in enumerate(
        zip(run.texts, vectors, nearest_neighbours(matrix), strict=True)
    ):
        neighbour, score = nearest if nearest else (None, None)
        rows.append(
            TextRow(
                number=index + 1,
                text=text,
                size=len(vector),
                norm=math.sqrt(math.sumprod(vector, vector)),
                preview=list(vector[:PREVIEW_VALUES]),
                neighbour=None if neighbour is None else neighbour + 1,
                neighbour_text="" if neighbour is None else run.texts[neighbour],
                neighbour_score=score,
            )
        )
    spec = EmbeddingSpec(model=run.model, texts=tuple(run.texts), dimensions=run.dimensions)
    code = snippets_render(code=embedding_code_request(spec, base_url=run.base_url))
    return RunAnalysis(rows=rows, heatmap=heatmap(matrix, run.texts), code=code)
