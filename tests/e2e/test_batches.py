"""The batch workbench in a real browser: three requests built, run to completion, read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.signing import sign_in
from tests.servers import ServedPlayground


@pytest.fixture
def quick(served_batches: ServedPlayground) -> ServedPlayground:
    return served_batches


def test_a_batch_of_three_runs_to_completion_and_shows_its_results(page: Page, quick):
    sign_in(page, quick)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(quick.base_url + "/batches/")
    page.get_by_label("…or paste JSONL").fill('{"method": "GET", "body": {}}\n{oops')
    page.get_by_role("button", name="Check").click()
    problems = page.locator("#problem-list")
    expect(page.locator("#check-result")).to_contain_text("6 problems on 2 lines")
    expect(problems.locator(".line-problems li")).to_have_count(5)
    expect(problems.locator(":scope > li").nth(1)).to_contain_text("Line 2: Not valid JSON")

    page.get_by_label("Inputs, one per line").fill(
        "Why is the sky blue?\nTell me a one-sentence joke.\nWhat is a batch API?"
    )
    page.get_by_role("button", name="Build JSONL").click()
    expect(page.locator("#check-result")).to_contain_text("3 requests, all well formed.")
    page.get_by_label("Name").fill("three-questions")
    page.get_by_role("button", name="Submit batch").click()

    expect(page).to_have_url(re.compile(r"/batches/\d+/$"))
    expect(page.get_by_role("heading", name="three-questions")).to_be_visible()
    status = page.locator("#job .batch-status")
    expect(status).to_have_text("Completed", timeout=30000)
    expect(page.locator("#job-counts")).to_contain_text("3 of 3 done · 3 succeeded · 0 failed")
    rows = page.locator("#results-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("request-3")
    expect(rows.nth(2)).to_contain_text("What is a batch API?")
    # Answers are markdown, rendered: the emulator's italic disclaimer is an <em>, not asterisks.
    expect(rows.nth(0).locator(".answer-text em").first).to_contain_text("Emulator reply")
    expect(rows.nth(0).locator(".answer-text")).not_to_contain_text("*")
    expect(page.locator("#job")).not_to_have_attribute("data-polling", "true")

    page.get_by_role("link", name="Batches").first.click()
    listed = page.locator("#job-table tbody tr").first
    expect(listed).to_contain_text("three-questions")
    expect(listed.locator(".batch-status")).to_have_text("Completed")
