"""Reads for the compare page, its summary and the share pages."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from playground.compare.charts import (
    METRICS,
    BarChart,
    Metric,
    Spread,
    Timeline,
    spread_of,
    spread_text,
    summary_charts,
    timeline,
)
from playground.compare.columns import PaneColumn, pane_columns
from playground.compare.diff import WordDiff, word_diff
from playground.compare.models import Comparison, Pane
from playground.llm import RunSpec
from playground.media.models import Attachment
from playground.runs.settings import RunSettings


def comparisons_of(user: AbstractBaseUser) -> QuerySet[Comparison]:
    return Comparison.objects.filter(user=user).only("pk", "title", "created_at", "wall_ms")


def comparison_of(user: AbstractBaseUser, comparison_id: int) -> Comparison | None:
    return Comparison.objects.filter(pk=comparison_id, user=user).first()


def panes_of(comparison: Comparison) -> list[Pane]:
    return list(comparison.panes.all())


def comparison_attachments(comparison: Comparison) -> list[Attachment]:
    """The images and recordings sent with the comparison's prompt, in the order attached."""
    return list(comparison.attachments.order_by("comparisonattachment__position"))


def tools_of(pane: Pane) -> tuple[list[dict[str, Any]], str]:
    """The tools a pane was sent and its tool_choice as a setting ("auto", "function:name")."""
    if not pane.run_spec:
        return [], "auto"
    settings = RunSettings.from_spec(RunSpec.from_dict(pane.run_spec))
    return [tool.to_wire() for tool in settings.tools], settings.tool_choice


def comparison_has_attachment(comparison: Comparison, attachment: Attachment) -> bool:
    return comparison.attachments.filter(pk=attachment.pk).exists()


@dataclass(frozen=True)
class SummaryCell:
    key: str
    label: str  # the column's heading, repeated where a phone stacks the table
    spread: Spread | None
    text: str  # the median, with the range when runs differ; words when nothing was reported


@dataclass(frozen=True)
class SummaryRow:
    column: PaneColumn
    cells: tuple[SummaryCell, ...]
    marks: tuple[str, ...] = ()  # "cheapest", "fastest"


# The figures panes are ranked by, and what the best pane (lowest median) is called.
RANKED = (("cost", "cheapest"), ("total", "fastest"))


def _best_panes(rows: list[SummaryRow], key: str) -> set[int]:
    """Pane numbers with the lowest median of figure `key`; none unless two panes have it
    and they differ (a mark on every pane says nothing)."""
    medians = {
        row.column.number: cell.spread.median
        for row in rows
        for cell in row.cells
        if cell.key == key and cell.spread is not None
    }
    if len(medians) < 2 or len(set(medians.values())) < 2:
        return set()
    lowest = min(medians.values())
    return {number for number, median in medians.items() if median == lowest}


def summary_rows(columns: list[PaneColumn]) -> list[SummaryRow]:
    """The summary table: one row per pane, one cell per figure (median and spread over its
    runs), and the panes that are cheapest and fastest marked. Every column of the table and
    its heading come from `METRICS`."""
    rows = []
    for column in columns:
        cells = []
        for metric in METRICS:
            spread = spread_of([metric.value_of(run) for run in column.runs])
            text = spread_text(spread, metric.text_of, metric.missing(column))
            cells.append(SummaryCell(metric.key, metric.short, spread, text))
        rows.append(SummaryRow(column, tuple(cells)))
    best = {mark: _best_panes(rows, key) for key, mark in RANKED}
    return [
        replace(
            row, marks=tuple(mark for mark, numbers in best.items() if row.column.number in numbers)
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Summary:
    panes: list[Pane]
    columns: list[PaneColumn]
    rows: list[SummaryRow]
    charts: list[BarChart]
    timeline: Timeline
    wall_ms: int | None
    slowest_ms: int | None
    metrics: tuple[Metric, ...] = METRICS

    @property
    def ratio(self) -> float | None:
        """Wall time over the slowest run: near 1 when the runs really went side by side."""
        if not self.wall_ms or not self.slowest_ms:
            return None
        return self.wall_ms / self.slowest_ms

    @property
    def repeated(self) -> bool:
        return any(column.repeated for column in self.columns)


def comparison_summary(comparison: Comparison, panes: list[Pane] | None = None) -> Summary:
    panes = panes if panes is not None else panes_of(comparison)
    columns = pane_columns(panes)
    slowest = max((pane.total_ms for pane in panes if pane.total_ms is not None), default=None)
    return Summary(
        panes,
        columns,
        summary_rows(columns),
        summary_charts(columns),
        timeline(panes),
        comparison.wall_ms,
        slowest,
    )


@dataclass(frozen=True)
class PaneSlot:
    """One column of the compare page: a pane's settings form and the runs it last had."""

    index: int
    form: Any
    column: PaneColumn | None

    @property
    def number(self) -> int:
        return self.index + 1


def pane_slots(*, forms: list[Any], panes: list[Pane]) -> list[PaneSlot]:
    """The page's columns: each settings form over the runs of the pane in its place."""
    columns = {column.number - 1: column for column in pane_columns(panes)}
    return [PaneSlot(index, form, columns.get(index)) for index, form in enumerate(forms)]


@dataclass(frozen=True)
class PaneDiff:
    before: Pane
    after: Pane
    diff: WordDiff


def pane_diff(panes: list[Pane], *, before: int, after: int) -> PaneDiff | None:
    """The word-level diff of two panes' answers (their first runs), by pane number (1-based);
    None if unknown."""
    by_number = {pane.number: pane for pane in reversed(panes)}
    if before not in by_number or after not in by_number:
        return None
    first, second = by_number[before], by_number[after]
    return PaneDiff(first, second, word_diff(first.answer, second.answer))
