"""Changing the pane list before a run: add, remove, a model changed, a preset applied.

The page sends its current (unvalidated) pane values; the answer is the new list of panes to
show, so the page works the same with htmx and as a plain form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playground.catalog.selectors import initial_model_id
from playground.compare.forms import MAX_PANES, raw_panes
from playground.compare.presets import PresetForm, PresetResult, preset_apply, preset_efforts
from playground.llm import CHAT

OPS = ("add", "refresh", "preset")


def default_panes(model_choices: list[str]) -> PresetResult:
    """A fresh page: every reasoning level of the default model, the sweep people come for."""
    base = {"temperature": None, "seed": None, "service_tier": "default", "include_thoughts": True}
    return preset_efforts(
        initial_model_id(capability=CHAT, model_ids=model_choices), send_as="effort", base=base
    )


def panes_after(op: str, data: Mapping[str, Any], *, model_choices: list[str]) -> PresetResult:
    panes = raw_panes(data)
    if not panes:
        return default_panes(model_choices)
    if op == "add":
        if len(panes) >= MAX_PANES:
            return PresetResult(panes, [f"A comparison has at most {MAX_PANES} panes."])
        return PresetResult([*panes, dict(panes[-1])])
    if op.startswith("remove-"):
        index = op.removeprefix("remove-")
        if index.isdigit() and int(index) < len(panes) and len(panes) > 1:
            del panes[int(index)]
        return PresetResult(panes)
    if op == "preset":
        form = PresetForm(data, model_choices=model_choices)
        if not form.is_valid():
            messages = [str(error) for errors in form.errors.values() for error in errors]
            return PresetResult(panes, messages)
        return preset_apply(form, current=panes)
    return PresetResult(panes)


def is_pane_op(op: str) -> bool:
    return op in OPS or op.startswith("remove-")
