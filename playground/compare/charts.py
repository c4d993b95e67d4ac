"""Geometry for the summary's charts: range bars per pane and a timeline per run.

Only numbers are computed here, as percentages of a track; the templates draw each track as a
small SVG stretched to its row and write the labels as HTML text, so the labels grow with the
page's type (a projector, a phone) and every label is escaped there.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from playground.catalog.costs import PRICE_UNKNOWN, cost_text
from playground.compare.columns import PaneColumn
from playground.compare.models import Pane

Figure = int | Decimal
NOT_REPORTED = "not reported"

TICK_STEPS_MS = (100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000)


def format_ms(value: float) -> str:
    return f"{round(value)} ms" if value < 1000 else f"{value / 1000:.2f} s"


def format_tokens(value: float) -> str:
    return f"{round(value):,} tok"


@dataclass(frozen=True)
class Spread:
    """One figure over a pane's runs: the median and the range from the lowest to the highest."""

    median: float
    low: float
    high: float
    count: int

    @property
    def varies(self) -> bool:
        return self.low != self.high


def spread_of(values: Sequence[Figure | None]) -> Spread | None:
    known = [value for value in values if value is not None]
    if not known:
        return None
    return Spread(statistics.median(known), min(known), max(known), len(known))


@dataclass(frozen=True)
class Metric:
    """A figure of a run, as the summary table and charts show it."""

    key: str
    title: str
    short: str  # the summary table's column heading
    value_of: Callable[[Pane], Figure | None]
    text_of: Callable[[float], str]
    charted: bool = True
    # What a pane without this figure says instead ("not reported" unless told).
    missing_of: Callable[[PaneColumn], str] | None = None
    unit: str = ""  # "ms", "tokens", "usd": exports name the figure `<key>_<unit>`

    @property
    def export_name(self) -> str:
        return f"{self.key}_{self.unit}" if self.unit else self.key

    def missing(self, column: PaneColumn) -> str:
        return self.missing_of(column) if self.missing_of else NOT_REPORTED


def _cost_missing(column: PaneColumn) -> str:
    """A pane whose usage came back but whose model has no price says so, never $0."""
    reported = any(run.prompt_tokens is not None for run in column.runs)
    return PRICE_UNKNOWN if reported else NOT_REPORTED


METRICS = (
    Metric("ttft", "Time to first token", "TTFT", lambda p: p.ttft_ms, format_ms, unit="ms"),
    Metric(
        "first_answer", "Time to first answer token", "First answer token",
        lambda p: p.first_answer_ms, format_ms, unit="ms",
    ),
    Metric("total", "Total time", "Total", lambda p: p.total_ms, format_ms, unit="ms"),
    Metric(
        "cost", "Cost", "Cost", lambda p: p.reply.cost, lambda value: cost_text(Decimal(value)),
        missing_of=_cost_missing, unit="usd",
    ),
    Metric(
        "thinking", "Thinking tokens", "Thinking tok", lambda p: p.thinking_tokens,
        format_tokens, unit="tokens",
    ),
    Metric(
        "answer", "Answer tokens", "Answer tok", lambda p: p.completion_tokens, format_tokens,
        unit="tokens",
    ),
    Metric(
        "prompt", "Prompt tokens", "Prompt tok", lambda p: p.prompt_tokens, format_tokens,
        charted=False, unit="tokens",
    ),
)  # fmt: skip


def spread_text(
    spread: Spread | None, text_of: Callable[[float], str], missing: str = NOT_REPORTED
) -> str:
    if spread is None:
        return missing
    if not spread.varies:
        return text_of(spread.median)
    return f"{text_of(spread.median)} ({text_of(spread.low)} to {text_of(spread.high)})"


@dataclass(frozen=True)
class RangeBar:
    """A bar to the median, and a whisker from the lowest to the highest run (percent)."""

    number: int
    label: str
    median: float
    low: float
    high: float
    varies: bool
    text: str


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    bars: tuple[RangeBar, ...]


def _percent(value: Figure | float, top: Figure | float) -> float:
    return round(100 * float(value) / float(top), 2) if top else 0.0


def bar_chart(metric: Metric, columns: Sequence[PaneColumn]) -> BarChart:
    """One range bar per pane, on a scale shared by every pane."""
    spreads = [spread_of([metric.value_of(run) for run in column.runs]) for column in columns]
    top = max((spread.high for spread in spreads if spread), default=0)
    bars = []
    for column, spread in zip(columns, spreads, strict=True):
        number, label = column.number, column.label
        if spread is None:
            words = column.story or metric.missing(column)
            bars.append(RangeBar(number, label, 0.0, 0.0, 0.0, False, words))
            continue
        bars.append(
            RangeBar(
                number,
                label,
                _percent(spread.median, top),
                _percent(spread.low, top),
                _percent(spread.high, top),
                spread.varies,
                spread_text(spread, metric.text_of),
            )
        )
    return BarChart(metric.key, metric.title, tuple(bars))


def summary_charts(columns: Sequence[PaneColumn]) -> list[BarChart]:
    return [bar_chart(metric, columns) for metric in METRICS if metric.charted]


@dataclass(frozen=True)
class Segment:
    kind: str  # "wait", "think" or "answer"
    x: float  # percent of the axis
    width: float
    title: str


@dataclass(frozen=True)
class TimelineRow:
    number: int
    run_number: int | None  # None when each pane ran once
    label: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Timeline:
    rows: tuple[TimelineRow, ...]
    # Tick labels, evenly spaced from 0 to the end of the axis; `ticks_x` places their lines.
    ticks: tuple[str, ...]
    ticks_x: tuple[float, ...]


def _tick_text(at_ms: int) -> str:
    if at_ms == 0:
        return "0"
    return f"{at_ms} ms" if at_ms < 1000 else f"{at_ms / 1000:g} s"


def _tick_step(span_ms: int) -> int:
    return next((step for step in TICK_STEPS_MS if span_ms / step <= 6), TICK_STEPS_MS[-1])


def _phases(pane: Pane) -> list[tuple[str, int, int]]:
    """(kind, start, end) in ms since the run began: waiting, thinking shown, answering."""
    start = pane.offset_ms or 0
    end = start + (pane.total_ms or 0)
    thought = None if pane.first_thought_ms is None else start + pane.first_thought_ms
    answer = None if pane.first_answer_ms is None else start + pane.first_answer_ms
    first_visible = min(t for t in (thought, answer, end) if t is not None)
    phases = [("wait", start, first_visible)]
    if thought is not None:
        phases.append(("think", thought, answer if answer is not None else end))
    if answer is not None:
        phases.append(("answer", answer, end))
    return [(kind, a, b) for kind, a, b in phases if b > a]


PHASE_NAMES = {
    "wait": "waiting (thinking not shown)",
    "think": "thinking",
    "answer": "answering",
}


def timeline(panes: Sequence[Pane]) -> Timeline:
    """One row per run on a shared time axis starting when the comparison was sent; the axis
    ends on a whole tick, so evenly spaced tick labels sit where their lines are."""
    span = max(((p.offset_ms or 0) + (p.total_ms or 0) for p in panes), default=0) or 1
    step = _tick_step(span)
    axis_end = math.ceil(span / step) * step
    repeated = any(pane.run for pane in panes)
    rows = []
    for pane in panes:
        segments = tuple(
            Segment(
                kind,
                _percent(begin, axis_end),
                max(_percent(end - begin, axis_end), 0.3),
                f"{PHASE_NAMES[kind]}: {format_ms(begin)} to {format_ms(end)}",
            )
            for kind, begin, end in _phases(pane)
        )
        run_number = pane.run + 1 if repeated else None
        rows.append(TimelineRow(pane.number, run_number, pane.label, segments))
    marks = range(0, axis_end + 1, step)
    return Timeline(
        tuple(rows),
        tuple(_tick_text(at) for at in marks),
        tuple(_percent(at, axis_end) for at in marks),
    )
