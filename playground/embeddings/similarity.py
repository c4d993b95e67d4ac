"""Cosine similarity of every pair of texts, nearest neighbours, and the heatmap's geometry.

The heatmap is drawn by the template as SVG; this module only decides where each cell goes and
its colour. Colours come from a perceptual scale (viridis) that reads on light and dark pages
alike, stretched from the lowest similarity present to 1, so differences stay visible whether
the values spread from 0 (the emulator) or cluster above 0.5 (Gemini).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# viridis, from low to high.
PALETTE = (
    (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
    (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
)  # fmt: skip
LABEL_CHARS = 26
LEGEND_STEPS = 10


def unit(vector: Sequence[float]) -> tuple[float, ...]:
    norm = math.sqrt(math.sumprod(vector, vector))
    return tuple(vector) if norm == 0 else tuple(value / norm for value in vector)


def similarity_matrix(vectors: Sequence[Sequence[float]]) -> list[list[float]]:
    units = [unit(vector) for vector in vectors]
    size = len(units)
    matrix = [[0.0] * size for _ in range(size)]
    for row in range(size):
        matrix[row][row] = 1.0 if any(units[row]) else 0.0
        for column in range(row + 1, size):
            value = math.sumprod(units[row], units[column])
            matrix[row][column] = matrix[column][row] = value
    return matrix


def nearest_neighbours(matrix: list[list[float]]) -> list[tuple[int, float] | None]:
    """For each text, the most similar other text (index, similarity); None when alone."""
    found: list[tuple[int, float] | None] = []
    for row, values in enumerate(matrix):
        others = [(value, column) for column, value in enumerate(values) if column != row]
        best = max(others, default=None)
        found.append(None if best is None else (best[1], best[0]))
    return found


def scale_colour(position: float) -> tuple[int, int, int]:
    position = min(1.0, max(0.0, position)) * (len(PALETTE) - 1)
    low = math.floor(position)
    high = min(low + 1, len(PALETTE) - 1)
    share = position - low
    mixed = (a + (b - a) * share for a, b in zip(PALETTE[low], PALETTE[high], strict=True))
    return tuple(round(channel) for channel in mixed)  # type: ignore[return-value]


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def reads_dark(rgb: tuple[int, int, int]) -> bool:
    """Whether dark text reads on this colour (relative luminance above the middle)."""
    red, green, blue = (channel / 255 for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.45


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    column: int
    x: int
    y: int
    value: float
    fill: str
    ink: str
    title: str = ""
    # Where the printed value goes: the middle of the cell.
    cx: int = 0
    cy: int = 0


@dataclass(frozen=True, slots=True)
class Label:
    number: int
    text: str
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class Heatmap:
    size: int
    cell: int
    left: int
    top: int
    width: int
    height: int
    low: float
    cells: list[Cell]
    row_labels: list[Label]
    column_labels: list[Label]
    legend: list[Cell]
    legend_y: int
    legend_step: int
    legend_end: int
    show_values: bool


def cell_size(count: int) -> int:
    if count <= 8:
        return 52
    if count <= 16:
        return 34
    if count <= 30:
        return 22
    return 15


def heatmap(matrix: list[list[float]], texts: Sequence[str]) -> Heatmap:
    count = len(matrix)
    size = cell_size(count)
    left, top = 9 * LABEL_CHARS, 28
    off_diagonal = [v for r, row in enumerate(matrix) for c, v in enumerate(row) if r != c]
    low = min(min(off_diagonal, default=0.0), 0.99)
    span = 1.0 - low

    labels = [short_label(text) for text in texts]

    def coloured(row: int, column: int, value: float, x: int, y: int, title: str = "") -> Cell:
        rgb = scale_colour((value - low) / span)
        ink = "#111111" if reads_dark(rgb) else "#ffffff"
        return Cell(
            row, column, x, y, value, hex_colour(rgb), ink, title, x + size // 2, y + size // 2
        )

    cells = [
        coloured(
            r,
            c,
            value,
            left + c * size,
            top + r * size,
            f"{r + 1}. {labels[r]} vs {c + 1}. {labels[c]}: {value:.3f}",
        )
        for r, row in enumerate(matrix)
        for c, value in enumerate(row)
    ]
    row_labels = [
        Label(i + 1, label, left - 6, top + i * size + size // 2) for i, label in enumerate(labels)
    ]
    column_labels = [
        Label(i + 1, label, left + i * size + size // 2, top - 8) for i, label in enumerate(labels)
    ]
    legend_y = top + count * size + 16
    step_width = max(size * count // LEGEND_STEPS, 12)
    legend = [
        coloured(
            0, step, low + span * step / (LEGEND_STEPS - 1), left + step * step_width, legend_y
        )
        for step in range(LEGEND_STEPS)
    ]
    width = left + max(count * size, LEGEND_STEPS * step_width) + 8
    return Heatmap(
        size=count,
        cell=size,
        left=left,
        top=top,
        width=width,
        height=legend_y + 40,
        low=low,
        cells=cells,
        row_labels=row_labels,
        column_labels=column_labels,
        legend=legend,
        legend_y=legend_y,
        legend_step=step_width,
        legend_end=left + LEGEND_STEPS * step_width,
        show_values=count <= 16,
    )
