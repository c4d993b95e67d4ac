"""Filters for the compare templates that share pages include too."""

from __future__ import annotations

from django import template

from playground.compare.columns import PaneColumn
from playground.compare.columns import pane_columns as group_runs
from playground.compare.columns import run_story as story
from playground.compare.models import Pane

register = template.Library()


@register.filter
def pane_columns(panes: list[Pane]) -> list[PaneColumn]:
    return group_runs(panes)


@register.filter
def run_story(pane: Pane) -> str:
    return story(pane)
