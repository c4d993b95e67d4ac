"""A comparison's runs grouped into its panes, and what happened to each, in words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from playground.compare.models import Pane
from playground.runs.states import ReplyState


def run_story(pane: Pane) -> str:
    """One sentence on how a run ended, for places that would otherwise show an empty box or
    a dash; empty for a run that simply finished with something to show."""
    state = pane.state
    began = pane.ttft_ms is not None or bool(pane.answer or pane.thoughts or pane.tool_calls)
    if state == ReplyState.STREAMING:
        return ""
    if state == ReplyState.CANCELLED:
        return "Stopped before anything arrived." if not began else "Stopped; what arrived is kept."
    if state == ReplyState.ERROR:
        message = (pane.error or {}).get("message") or "the endpoint gave no reason"
        return f"Failed: {message}"
    if state == ReplyState.TIMEOUT:
        return "Timed out waiting for the endpoint; what arrived is kept."
    if state == ReplyState.INTERRUPTED:
        return "Interrupted when the server stopped; what arrived is kept."
    if not began:
        reason = f" (finish reason: {pane.finish_reason})" if pane.finish_reason else ""
        return f"Finished without any text{reason}."
    return ""


def state_label(state: str) -> str:
    return ReplyState(state).label if state in ReplyState.values else state


@dataclass(frozen=True)
class PaneColumn:
    """One pane of a comparison with its runs (one, or several with "Runs per pane")."""

    number: int
    label: str
    runs: tuple[Pane, ...]

    @property
    def first(self) -> Pane:
        return self.runs[0]

    @property
    def repeated(self) -> bool:
        return len(self.runs) > 1

    @property
    def state(self) -> str:
        """The column's state for styling: the first one that is not "done", else "done"."""
        return next((run.state for run in self.runs if run.state != ReplyState.DONE), "done")

    @property
    def state_text(self) -> str:
        """ "Done", or how the runs ended: "2 done, 1 stopped", in the states' own words."""
        counts = Counter(run.state for run in self.runs)
        if not self.repeated:
            return state_label(self.first.state)
        if len(counts) == 1:
            return f"All {len(self.runs)} {state_label(self.first.state).lower()}"
        parts = [f"{count} {state_label(state).lower()}" for state, count in counts.items()]
        return ", ".join(parts).capitalize()

    @property
    def story(self) -> str:
        """Why the pane has no figures, when none of its runs has any."""
        if any(run.ttft_ms is not None or run.total_ms for run in self.runs):
            return ""
        return run_story(self.first) or "No figures were reported."


def pane_columns(panes: Sequence[Pane]) -> list[PaneColumn]:
    """The runs grouped by pane, in pane order, each pane's runs in order."""
    grouped: dict[int, list[Pane]] = {}
    for pane in sorted(panes, key=lambda row: (row.position, row.run)):
        grouped.setdefault(pane.position, []).append(pane)
    return [
        PaneColumn(position + 1, runs[0].label, tuple(runs)) for position, runs in grouped.items()
    ]
