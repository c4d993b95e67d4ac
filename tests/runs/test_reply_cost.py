from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from playground.compare.models import Pane
from playground.runs.states import ReplyState


def finished_pane(model: str, tier: str | None = None) -> Pane:
    spec = {"model": model, "messages": [], **({"service_tier": tier} if tier else {})}
    return Pane(pk=7, position=0, run=0, label="p", state=ReplyState.DONE, answer="Hi.",
                run_spec=spec, prompt_tokens=1000, completion_tokens=2000,
                thinking_tokens=2000, ttft_ms=100, total_ms=900)  # fmt: skip


def figures(pane: Pane) -> str:
    html = render_to_string("compare/_pane.html", {"pane": pane, "readonly": True})
    return html.split('<div class="metrics">', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize(("tier", "shown"), [(None, "Cost $0.0103"), ("flex", "Cost $0.00515")])
def test_the_figures_line_shows_the_cost_at_the_runs_tier(tier: str | None, shown: str) -> None:
    # gemini-2.5-flash: 1,000 x $0.30 + 4,000 x $2.50 per million = $0.0103.
    line = figures(finished_pane("gemini-2.5-flash", tier))

    assert shown in line


def test_a_model_without_a_price_says_price_unknown_not_zero() -> None:
    line = figures(finished_pane("llama3:8b"))

    assert "Price unknown" in line
    assert "$0" not in line
