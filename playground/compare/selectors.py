"""Reads for the compare page, its summary and the share pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from playground.compare.charts import BarChart, Timeline, summary_charts, timeline
from playground.compare.diff import WordDiff, word_diff
from playground.compare.models import Comparison, Pane
from playground.llm.runspec import RunSpec
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
class Summary:
    panes: list[Pane]
    charts: list[BarChart]
    timeline: Timeline
    wall_ms: int | None
    slowest_ms: int | None

    @property
    def ratio(self) -> float | None:
        """Wall time over the slowest pane: near 1 when the panes really ran side by side."""
        if not self.wall_ms or not self.slowest_ms:
            return None
        return self.wall_ms / self.slowest_ms


def comparison_summary(comparison: Comparison, panes: list[Pane] | None = None) -> Summary:
    panes = panes if panes is not None else panes_of(comparison)
    slowest = max((pane.total_ms for pane in panes if pane.total_ms is not None), default=None)
    return Summary(panes, summary_charts(panes), timeline(panes), comparison.wall_ms, slowest)


@dataclass(frozen=True)
class PaneDiff:
    before: Pane
    after: Pane
    diff: WordDiff


def pane_diff(panes: list[Pane], *, before: int, after: int) -> PaneDiff | None:
    """The word-level diff of two panes' answers, by pane number (1-based); None if unknown."""
    by_number = {pane.number: pane for pane in panes}
    if before not in by_number or after not in by_number:
        return None
    first, second = by_number[before], by_number[after]
    return PaneDiff(first, second, word_diff(first.answer, second.answer))
