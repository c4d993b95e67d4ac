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
from playground.llm.batch_code import CodeSnippets, embedding_code
from playground.llm.embeddings import EmbeddingSpec
from playground.llm.providers import Provider

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
    code: CodeSnippets


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
    sent = Provider(run.provider_name, run.provider_name, run.base_url)
    spec = EmbeddingSpec(model=run.model, texts=tuple(run.texts), dimensions=run.dimensions)
    return RunAnalysis(
        rows=rows, heatmap=heatmap(matrix, run.texts), code=embedding_code(sent, spec)
    )
