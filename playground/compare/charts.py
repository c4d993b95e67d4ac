"""Geometry for the summary's server-rendered SVG: bar charts and a timeline per pane.

Only numbers are computed here; the templates draw them, so every label is escaped there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from playground.compare.models import Pane

WIDTH = 360
TIMELINE_WIDTH = 720  # one wide figure, where the bar charts sit three to a row
LABEL_WIDTH = 34
PLOT_LEFT = LABEL_WIDTH + 4
VALUE_ROOM = 64  # space kept right of the longest bar for its value
ROW = 24
BAR = 14
TOP = 6
AXIS_ROOM = 22
TICK_STEPS_MS = (100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000)


def format_ms(value: int) -> str:
    return f"{value} ms" if value < 1000 else f"{value / 1000:.2f} s"


def format_tokens(value: int) -> str:
    return f"{value:,} tok"


@dataclass(frozen=True)
class Bar:
    number: int
    label: str
    y: float
    width: float
    text: str

    @property
    def text_y(self) -> float:
        return self.y + BAR - 3

    @property
    def value_x(self) -> float:
        return PLOT_LEFT + self.width + 4


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    bars: tuple[Bar, ...]
    height: int
    width: int = WIDTH
    label_x: int = LABEL_WIDTH
    plot_left: int = PLOT_LEFT


def bar_chart(
    key: str,
    title: str,
    panes: Sequence[Pane],
    value_of: Callable[[Pane], int | None],
    text_of: Callable[[int], str],
) -> BarChart:
    values = [value_of(pane) for pane in panes]
    top = max((value for value in values if value), default=0)
    room = WIDTH - PLOT_LEFT - VALUE_ROOM
    bars = []
    for row, (pane, value) in enumerate(zip(panes, values, strict=True)):
        width = round(room * value / top, 1) if value and top else 0.0
        text = "—" if value is None else text_of(value)
        bars.append(Bar(pane.number, pane.label, TOP + row * ROW, width, text))
    return BarChart(key, title, tuple(bars), TOP * 2 + ROW * len(bars))


def summary_charts(panes: Sequence[Pane]) -> list[BarChart]:
    return [
        bar_chart("ttft", "Time to first token", panes, lambda p: p.ttft_ms, format_ms),
        bar_chart("total", "Total time", panes, lambda p: p.total_ms, format_ms),
        bar_chart("thinking", "Thinking tokens", panes, lambda p: p.thinking_tokens, format_tokens),
    ]


@dataclass(frozen=True)
class Segment:
    kind: str  # "wait", "think" or "answer"
    x: float
    width: float
    title: str


@dataclass(frozen=True)
class TimelineRow:
    number: int
    label: str
    y: float
    segments: tuple[Segment, ...]

    @property
    def text_y(self) -> float:
        return self.y + BAR - 3


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class Timeline:
    rows: tuple[TimelineRow, ...]
    ticks: tuple[Tick, ...]
    height: int
    axis_y: int
    width: int = TIMELINE_WIDTH
    label_x: int = LABEL_WIDTH
    plot_left: int = PLOT_LEFT
    plot_right: int = TIMELINE_WIDTH - 8


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
    """One row per pane on a shared time axis starting when the run was sent."""
    span = max(((p.offset_ms or 0) + (p.total_ms or 0) for p in panes), default=0) or 1
    plot = TIMELINE_WIDTH - 8 - PLOT_LEFT
    scale = plot / span
    rows = []
    for row, pane in enumerate(panes):
        segments = tuple(
            Segment(
                kind,
                round(PLOT_LEFT + begin * scale, 1),
                max(round((end - begin) * scale, 1), 0.5),
                f"{PHASE_NAMES[kind]}: {format_ms(begin)} to {format_ms(end)}",
            )
            for kind, begin, end in _phases(pane)
        )
        rows.append(TimelineRow(pane.number, pane.label, TOP + row * ROW, segments))
    step = _tick_step(span)
    ticks = tuple(
        Tick(round(PLOT_LEFT + at * scale, 1), _tick_text(at)) for at in range(0, span + 1, step)
    )
    axis_y = TOP + ROW * len(rows)
    return Timeline(tuple(rows), ticks, axis_y + AXIS_ROOM, axis_y)
