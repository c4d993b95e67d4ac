"""A comparison as a file: Markdown to read, CSV with one row per run, JSON with everything.

The figures come from the summary's `METRICS` and the requests from "Get code"'s
`chat_code_request`, so a download says what the page shows and what was sent.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from playground.catalog.prices import price_table
from playground.compare.charts import METRICS, NOT_REPORTED, Metric
from playground.compare.columns import PaneColumn, pane_columns, run_story
from playground.compare.models import Comparison, Pane
from playground.compare.selectors import SummaryCell, comparison_attachments, summary_rows
from playground.llm import FileRead, RunSpec, active_provider, chat_code_request, provider_named

EXPORT_FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
# The settings a pane varies, as its request named them.
SETTING_KEYS = ("model", "reasoning_effort", "thinking_level", "thinking_budget",
                "include_thoughts", "temperature", "seed", "service_tier")  # fmt: skip
# A spreadsheet runs a cell starting with these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: str


def export_filename(comparison: Comparison, fmt: str) -> str:
    name = slugify(comparison.title)[:60].strip("-") or "comparison"
    return f"{name}-{comparison.pk}.{fmt}"


def _settings_of(pane: Pane) -> dict[str, Any]:
    spec = pane.run_spec or {}
    return {key: spec.get(key) for key in SETTING_KEYS}


def _figures_of(pane: Pane) -> dict[str, Any]:
    """Each summary figure of one run; cost in dollars as a string (exact), None if unknown."""
    values: dict[str, Any] = {}
    for metric in METRICS:
        value = metric.value_of(pane)
        values[metric.export_name] = str(value) if isinstance(value, Decimal) else value
    return values


def _json_safe(value: Any) -> Any:
    if isinstance(value, FileRead):
        return {"file": value.path}
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def run_request(pane: Pane, *, shared: bool = False) -> dict[str, Any] | None:
    """The request this run sent, as "Get code" prints it (attachments by reference). A share
    link's reader gets the body without the endpoint's address, which may be a private one."""
    try:
        spec = RunSpec.from_dict(pane.run_spec)
    except (KeyError, TypeError, ValueError):
        return None
    provider = provider_named(spec.provider) or active_provider()
    code = chat_code_request(spec, base_url=provider.base_url)
    request: dict[str, Any] = {"provider": spec.provider, "path": "chat/completions"}
    if not shared:
        request["url"] = f"{code.base_url}chat/completions"
    return {**request, "body": code.body}


def _run_json(pane: Pane, *, shared: bool) -> dict[str, Any]:
    return {
        "run": pane.run_number,
        "state": pane.state,
        "story": run_story(pane),
        "settings": _settings_of(pane),
        "figures": _figures_of(pane),
        "first_thought_ms": pane.first_thought_ms,
        "offset_ms": pane.offset_ms,
        "finish_reason": pane.finish_reason,
        "answer": pane.answer,
        "thoughts": pane.thoughts,
        "tool_calls": pane.tool_calls,
        "error": pane.error,
        "request": run_request(pane, shared=shared),
    }


def _spread_json(cell: SummaryCell) -> dict[str, Any] | None:
    spread = cell.spread
    if spread is None:
        return None
    return {"median": spread.median, "low": spread.low, "high": spread.high,
            "runs": spread.count, "text": cell.text}  # fmt: skip


def _summary_json(columns: list[PaneColumn]) -> list[dict[str, Any]]:
    return [
        {
            "pane": row.column.number,
            "marks": list(row.marks),
            "figures": {
                metric.export_name: _spread_json(cell)
                for metric, cell in zip(METRICS, row.cells, strict=True)
            },
        }
        for row in summary_rows(columns)
    ]


def comparison_json(comparison: Comparison, panes: list[Pane], *, shared: bool = False) -> str:
    columns = pane_columns(panes)
    table = price_table()
    data = {
        "comparison": {
            "id": comparison.pk,
            "title": comparison.title,
            "prompt": comparison.prompt,
            "system_prompt": comparison.system_prompt,
            "created_at": comparison.created_at.isoformat(),
            "wall_ms": comparison.wall_ms,
            "attachments": [
                {"id": str(a.pk), "name": a.original_name, "kind": a.kind}
                for a in comparison_attachments(comparison)
            ],
        },
        "prices": {"source": table.source, "as_of": table.as_of, "currency": table.currency},
        "panes": [
            {
                "number": column.number,
                "label": column.label,
                "runs": [_run_json(run, shared=shared) for run in column.runs],
            }
            for column in columns
        ],
        "summary": _summary_json(columns),
    }
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_safe) + "\n"


def _cell(value: Any) -> Any:
    """A value a spreadsheet shows as text, never runs: formulas get a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def comparison_csv(comparison: Comparison, panes: list[Pane], *, shared: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["pane", "run", "label", *SETTING_KEYS, "state", "finish_reason",
                     *[metric.export_name for metric in METRICS],
                     "error", "answer"])  # fmt: skip
    for pane in sorted(panes, key=lambda p: (p.position, p.run)):
        figures = _figures_of(pane)
        error = (pane.error or {}).get("message", "") if pane.error else ""
        row = [pane.number, pane.run_number, pane.label, *_settings_of(pane).values(),
               pane.state, pane.finish_reason, *figures.values(), error, pane.answer]  # fmt: skip
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _fenced(text: str) -> str:
    """`text` in a code fence longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _table_cell(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown_table(columns: list[PaneColumn]) -> Iterable[str]:
    headings = ["Pane", "Settings", "State", *[metric.short for metric in METRICS]]
    yield "| " + " | ".join(headings) + " |"
    yield "|" + "---|" * len(headings)
    for row in summary_rows(columns):
        label = " ".join([row.column.label, *[f"**{mark}**" for mark in row.marks]])
        cells = [row.column.number, label, row.column.state_text, *[c.text for c in row.cells]]
        yield "| " + " | ".join(_table_cell(cell) for cell in cells) + " |"


def _run_markdown(pane: Pane, repeated: bool) -> Iterable[str]:
    if repeated:
        yield f"### Run {pane.run_number}"
        yield ""
    figures = [f"{metric.title}: {text}" for metric, text in _figure_texts(pane)]
    yield f"*{pane.get_state_display()}* · " + " · ".join(figures)
    yield ""
    if story := run_story(pane):
        yield story
        yield ""
    if pane.thoughts:
        yield "<details><summary>Thoughts</summary>"
        yield ""
        yield _fenced(pane.thoughts)
        yield ""
        yield "</details>"
        yield ""
    if pane.answer:
        yield pane.answer
        yield ""


def _figure_texts(pane: Pane) -> Iterable[tuple[Metric, str]]:
    """The run's figures in words; a missing one only when it has more to say than that it
    was not reported ("price unknown")."""
    alone = PaneColumn(pane.number, pane.label, (pane,))
    for metric in METRICS:
        value = metric.value_of(pane)
        if value is not None:
            yield metric, metric.text_of(value)
        elif (missing := metric.missing(alone)) != NOT_REPORTED:
            yield metric, missing


def comparison_markdown(comparison: Comparison, panes: list[Pane], *, shared: bool = False) -> str:
    columns = pane_columns(panes)
    table = price_table()
    title = " ".join((comparison.title or f"Comparison {comparison.pk}").split())
    lines = [f"# {title}", ""]
    lines += [f"Run {comparison.created_at:%Y-%m-%d %H:%M} UTC. Costs from {table.source} "
              f"(as of {table.as_of}), at each pane's service tier.", ""]  # fmt: skip
    if comparison.system_prompt:
        lines += ["## System prompt", "", _fenced(comparison.system_prompt), ""]
    lines += ["## Prompt", "", _fenced(comparison.prompt), ""]
    lines += ["## Figures", "", *_markdown_table(columns), ""]
    for column in columns:
        lines += [f"## Pane {column.number}: {column.label}", ""]
        settings = {key: value for key, value in _settings_of(column.first).items() if value}
        lines += ["Settings: " + ", ".join(f"`{k}` {v}" for k, v in settings.items()), ""]
        for run in column.runs:
            lines += list(_run_markdown(run, column.repeated))
    return "\n".join(lines).rstrip() + "\n"


RENDERERS = {"md": comparison_markdown, "csv": comparison_csv, "json": comparison_json}


def comparison_export(
    comparison: Comparison, panes: list[Pane], *, fmt: str, shared: bool = False
) -> ExportFile:
    """The comparison as `fmt` ("md", "csv" or "json"), for its owner or (`shared`) for the
    readers of a share link; KeyError for any other format."""
    content = RENDERERS[fmt](comparison, panes, shared=shared)
    return ExportFile(export_filename(comparison, fmt), EXPORT_FORMATS[fmt], content)
