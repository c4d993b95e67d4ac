"""A comparison's cost in Chromium: per pane from the price table, changed by the service tier,
and the three downloads."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_chat_branches import console_errors
from tests.servers import ServedPlayground


def pane_cost(page: Page) -> Decimal:
    cost = page.locator("#pane-column-0 .pane .metrics .cost")
    expect(cost).to_have_text(re.compile(r"^Cost \$\d"), timeout=20000)
    return Decimal(cost.inner_text().removeprefix("Cost $"))


def run_and_wait(page: Page) -> None:
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator('.pane[data-state="streaming"]')).to_have_count(0, timeout=20000)
    expect(page.locator("#compare-summary h2")).to_have_text("Summary", timeout=20000)


def downloaded(page: Page, name: str) -> str:
    with page.expect_download() as info:
        page.locator("#downloads").get_by_role("link", name=name).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_each_pane_costs_by_its_tier_and_the_comparison_downloads(
    logged_in_page: Page, served: ServedPlayground
) -> None:
    page = logged_in_page
    errors = console_errors(page)
    page.goto(f"{served.base_url}/compare/")
    page.get_by_label("Prompt", exact=True).fill("Why is the sky blue?")
    first = page.locator("#pane-column-0")
    first.locator("summary").first.click()
    first.locator("input[name$='-seed']").fill("7")
    run_and_wait(page)
    standard = pane_cost(page)
    summary = page.locator("#compare-summary")
    expect(summary.locator("td.figure-cost").first).to_contain_text("$")
    expect(summary.locator(".rank-mark").first).to_be_visible()
    cost_heading = summary.get_by_role("button", name="Cost")
    cost_heading.click()
    expect(summary.locator("th[aria-sort='ascending']")).to_contain_text("Cost")
    cost_heading.click()  # the panes go from minimal to high thinking: dearest first now
    expect(summary.locator("th[aria-sort='descending']")).to_contain_text("Cost")
    cells = summary.locator("td.figure-cost")
    costs = [Decimal(v) for v in cells.evaluate_all("cs => cs.map(c => c.dataset.sortValue)")]
    assert costs == sorted(costs, reverse=True) and costs[0] > costs[-1], costs

    text = downloaded(page, "CSV")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == page.locator(".pane-column").count()
    assert Decimal(rows[0]["cost_usd"]) > 0
    data = json.loads(downloaded(page, "JSON"))
    assert data["panes"][0]["runs"][0]["request"]["body"]["seed"] == 7
    assert downloaded(page, "Markdown").startswith("# ")

    first.locator("summary").first.click()
    first.locator("select[name$='-service_tier']").select_option("flex")
    before = page.url
    run_and_wait(page)
    expect(page).not_to_have_url(before)
    flex = pane_cost(page)
    assert abs(flex * 2 - standard) <= Decimal("0.000001") * 2, (standard, flex)
    assert errors == []
