"""Upstream trouble in a real browser: the message and the Retry are shown, and Retry works."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.signing import sign_in
from tests.reliability.serving import served_with_faults
from tests.servers import ServedPlayground, running


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlayground]:
    """Faults on, and no SDK retry, so a fault that fails once reaches the page."""
    yield from running(
        served_with_faults(Path(tmp_path_factory.mktemp("e2e-faults")), UPSTREAM_MAX_RETRIES="0")
    )


def once(kind: str) -> str:
    return f"[emulator-fault:{kind}-once:{uuid.uuid4().hex[:10]}]"


def test_a_failed_chat_reply_says_why_and_retry_brings_the_answer(
    page: Page, faulty: ServedPlayground
) -> None:
    sign_in(page, faulty)
    page.get_by_label("Message").fill(f"Name a river {once('503')}")
    page.get_by_label("Message").press("Enter")

    failed = page.locator('.turn-assistant[data-state="error"]')
    expect(failed.locator(".turn-error")).to_contain_text("503 UNAVAILABLE", timeout=20000)
    expect(failed.locator(".state")).to_have_text("Error")
    expect(page.locator(".turn-user .bubble")).to_contain_text("Name a river")
    failed.get_by_role("button", name="Retry").click()

    answered = page.locator('.turn-assistant[data-state="done"]:not(.turn-replaced)')
    expect(answered.locator(".answer")).to_contain_text("Emulator", timeout=20000)
    expect(page.locator("#send-button")).to_be_enabled()


def test_a_failed_pane_says_why_and_retry_runs_the_comparison_again(
    page: Page, faulty: ServedPlayground
) -> None:
    sign_in(page, faulty)
    page.goto(f"{faulty.base_url}/compare/")
    page.get_by_label("Prompt", exact=True).fill(f"Why is the sky blue? {once('500')}")
    page.get_by_role("button", name="Run", exact=True).click()

    failed = page.locator('.pane[data-state="error"]')
    expect(failed).to_have_count(1, timeout=20000)  # the first request failed, once
    expect(failed.locator(".turn-error")).to_contain_text("500 INTERNAL")
    expect(page.locator("#compare-summary")).to_contain_text("Error", timeout=20000)
    failed.get_by_role("button", name="Retry").click()

    expect(page.locator('.pane[data-state="error"]')).to_have_count(0, timeout=20000)
    expect(page.locator("#compare-summary h2")).to_have_text("Summary", timeout=20000)
    done = page.locator('.pane[data-state="done"]')
    expect(done.first).to_be_visible()
    assert done.count() == page.locator(".pane").count()
