"""Reads for the embeddings lab: the user's runs and a run's analysis."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from playground.embeddings.models import EmbeddingRun
from playground.embeddings.similarity import (
    Heatmap,
    heatmap,
    nearest_neighbours,
    similarity_matrix,
)
from playground.get_code.snippets import Snippet, snippets_render
from playground.llm import (
    DEFAULT_KEY_VARIABLE,
    EmbeddingSpec,
    embedding_code_request,
    provider_named,
)

PREVIEW_VALUES = 4


def runs_of(*, user: AbstractBaseUser) -> QuerySet[EmbeddingRun]:
    return EmbeddingRun.objects.filter(user=user).defer("vectors")


def run_of(*, user: AbstractBaseUser, run_id: int) -> EmbeddingRun | None:
    return EmbeddingRun.objects.filter(user=user, pk=run_id).first()


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
    key_variable: str = DEFAULT_KEY_VARIABLE


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
    # The address the run went to; the key variable of the provider by that name, if still here.
    provider = provider_named(run.provider_name)
    key_variable = provider.key_variable if provider else DEFAULT_KEY_VARIABLE
    code = snippets_render(
        code=embedding_code_request(spec, base_url=run.base_url, key_variable=key_variable)
    )
    return RunAnalysis(
        rows=rows, heatmap=heatmap(matrix, run.texts), code=code, key_variable=key_variable
    )
