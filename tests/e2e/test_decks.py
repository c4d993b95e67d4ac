"""A deck in Chromium: imported from a file, presented with the keyboard, replayed at pace."""

from __future__ import annotations

import json
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.decks.conftest import recording
from tests.e2e.test_chat_branches import console_errors

SHOTS = Path("/work/shots/decks")
REPLAYED = "replayed, recorded on 2 December 2026 from gemini-2.5-flash"


def deck_file(tmp_path: Path) -> Path:
    settings = {"model": "gemini-2.5-flash", "thinking_budget": 1024}
    chat = {
        "kind": "chat",
        "prompt": "What is the capital of France?",
        "settings": settings,
        "recording": recording("Paris is the capital of France.", end_ms=1200),
        "recorded_at": "2026-12-02T10:00:00+00:00",
        "recorded_model": "gemini-2.5-flash",
    }
    panes = [{"label": f"flash · budget {n * 512}", "settings": settings,
              "recording": recording(f"Rayleigh scattering, pane {n + 1}.", first_ms=300 + 200 * n,
                                     end_ms=1500)}
             for n in range(4)]  # fmt: skip
    compare = {
        "kind": "compare",
        "prompt": "Why is the sky blue?",
        "panes": panes,
        "recorded_at": "2026-12-02T10:05:00+00:00",
        "recorded_model": "gemini-2.5-flash",
    }
    data = {"format": "gemini-playground-deck", "version": 1, "title": "Launch demo",
            "mode": "replay", "fallback_seconds": 10, "steps": [chat, compare]}  # fmt: skip
    path = tmp_path / "launch-demo.json"
    path.write_text(json.dumps(data))
    return path


def test_an_imported_deck_is_presented_with_the_keyboard_and_replayed_at_pace(
    logged_in_page: Page, tmp_path: Path
) -> None:
    page = logged_in_page
    errors = console_errors(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + "/decks/")
    page.get_by_label("Deck file (.json)").set_input_files(deck_file(tmp_path))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Launch demo")).to_be_visible()
    expect(page.locator(".deck-step")).to_have_count(2)
    page.screenshot(path=SHOTS / "detail-1440.png", full_page=True)

    page.get_by_role("link", name="Present").click()
    slide = page.locator(".deck-slide:not([hidden])")
    expect(slide.locator(".deck-prompt")).to_have_text("What is the capital of France?")
    expect(slide.locator(".deck-badge")).to_have_text(REPLAYED)
    expect(slide.locator('.deck-slot[data-state="done"]')).to_have_count(1, timeout=5000)
    expect(slide.locator(".deck-figures")).to_contain_text("200 ms")
    page.screenshot(path=SHOTS / "present-chat-1440.png")

    started = time.monotonic()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#deck-where")).to_have_text("Step 2 of 2")
    expect(slide.locator(".deck-prompt")).to_have_text("Why is the sky blue?")
    expect(slide.locator('.deck-slot[data-replayed="true"]')).to_have_count(4)
    expect(slide.locator('.deck-slot[data-state="done"]')).to_have_count(4, timeout=5000)
    took = time.monotonic() - started
    assert 1.35 <= took < 3.5, f"1.5 s recorded, replayed in {took:.2f} s"
    expect(slide.locator(".deck-slot").nth(3)).to_contain_text("Rayleigh scattering, pane 4.")
    page.screenshot(path=SHOTS / "present-compare-1440.png")

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "present-compare-390.png", full_page=True)
    page.keyboard.press("PageUp")
    expect(page.locator("#deck-where")).to_have_text("Step 1 of 2")
    expect(slide.locator('.deck-slot[data-state="done"]')).to_have_count(1, timeout=5000)
    page.screenshot(path=SHOTS / "present-chat-390.png", full_page=True)
    assert errors == []
