"""Chat in a real browser against a real daphne server whose emulator writes at a watchable pace."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.signing import sign_in
from tests.servers import ServedPlayground

# The answer starts after the emulated thinking: the thought summary streams for about a second,
# then the model "thinks" for up to 8 s (emulator/pace.py) before the first answer token.
ANSWER_STARTS_MS = 15000


@pytest.fixture
def chat_page(page: Page, served_slow: ServedPlayground) -> Page:
    sign_in(page, served_slow)
    expect(page).to_have_url(re.compile(r"/chat/$"))
    return page


def test_a_prompt_streams_in_and_survives_a_reload(chat_page: Page):
    page = chat_page
    page.get_by_label("Message").fill("Give me a markdown list of three rivers")
    page.get_by_label("Message").press("Enter")

    live_answer = page.locator(".turn-assistant .answer-live").first
    expect(live_answer).to_contain_text("Emulator", timeout=ANSWER_STARTS_MS)
    # While it streams, Stop is offered and the text keeps growing.
    expect(page.locator("#stop-button")).to_be_enabled()
    first_length = len(live_answer.inner_text())
    page.wait_for_timeout(300)
    assert len(live_answer.inner_text()) > first_length

    finished = page.locator('.turn-assistant[data-state="done"]')
    expect(finished).to_have_count(1, timeout=20000)
    expect(finished.locator(".answer ul li").first).to_be_visible()
    expect(finished.locator(".metrics")).to_contain_text("TTFT")
    expect(page.locator("#send-button")).to_be_enabled()
    expect(page.get_by_label("Message")).to_have_value("")
    expect(page).to_have_url(re.compile(r"/chat/\d+/$"))
    # The new conversation's share and deck controls are there without a reload.
    expect(page.get_by_role("button", name="Create share link")).to_be_visible()
    expect(page.get_by_role("link", name="Add to deck…")).to_be_visible()
    answer_text = finished.locator(".answer").inner_text()
    metrics = finished.locator(".metrics").inner_text()

    page.reload()
    again = page.locator('.turn-assistant[data-state="done"]')
    expect(again.locator(".answer")).to_have_text(answer_text)
    assert again.locator(".metrics").inner_text().split() == metrics.split()
    expect(page.locator(".turn-user .bubble")).to_have_text(
        "Give me a markdown list of three rivers"
    )
    expect(page.locator("#conversation-list")).to_contain_text("Give me a markdown list")


def test_escape_stops_a_reply_and_keeps_what_arrived(chat_page: Page):
    page = chat_page
    page.get_by_label("Message").fill("Write a very long essay about the history of bridges")
    page.get_by_label("Message").press("Enter")
    live_answer = page.locator(".turn-assistant .answer-live").first
    expect(live_answer).to_contain_text("Emulator", timeout=ANSWER_STARTS_MS)

    page.keyboard.press("Escape")
    stopped = page.locator('.turn-assistant[data-state="cancelled"]')
    expect(stopped).to_have_count(1, timeout=2000)
    expect(stopped.locator(".state")).to_have_text("Stopped")
    kept = stopped.locator(".answer").inner_text()
    assert "Emulator" in kept
    expect(page.locator("#send-button")).to_be_enabled()

    page.reload()
    expect(page.locator('.turn-assistant[data-state="cancelled"] .answer')).to_have_text(kept)
