"""Reasoning controls and Get code in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Route, expect

HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def pick(page: Page, label: str, value: str) -> None:
    """Choose an option and wait until htmx has swapped in and wired up the new controls."""
    with page.expect_response(re.compile(r"/chat/reasoning/")):
        page.get_by_label(label).select_option(value)
    expect(page.locator(HTMX_BUSY)).to_have_count(0)


def test_reasoning_controls_follow_the_model_and_get_code_copies_the_request(
    logged_in_page: Page, served
):
    page = logged_in_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(served.base_url + "/chat/")

    pick(page, "Model", "gemini-2.5-flash")
    expect(page.get_by_label("thinking_budget")).to_be_visible()
    expect(page.get_by_label("thinking_level")).to_have_count(0)
    pick(page, "reasoning_effort", "medium")
    expect(page.locator("#effort-meaning")).to_have_text(
        "medium on gemini-2.5-flash = 8,192-token thinking budget"
    )

    pick(page, "Model", "gemini-3-flash-preview")
    expect(page.get_by_label("thinking_level")).to_be_visible()
    expect(page.get_by_label("thinking_budget")).to_have_count(0)
    expect(page.locator("#reasoning-controls")).to_contain_text(
        "Not offered: none (gemini-3-flash-preview cannot turn thinking off)"
    )

    # The combination the API refuses is refused here too, and nothing is sent.
    pick(page, "reasoning_effort", "low")
    page.get_by_label("thinking_level").select_option("high")
    page.get_by_label("Message").fill("Which river is longest?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#composer-errors")).to_contain_text("overlap")
    expect(page.locator(".turn")).to_have_count(0)
    expect(page.get_by_label("Message")).to_have_value("Which river is longest?")

    page.get_by_label("thinking_level").select_option("")
    page.get_by_role("button", name="Send").click()
    done = page.locator('.turn-assistant[data-state="done"]')
    expect(done).to_have_count(1, timeout=20000)
    expect(done.locator(".thoughts")).to_have_count(1)

    done.get_by_role("button", name="Get code").click()
    python = page.locator(".code-snippet", has_text="Python")
    # Effort low with thought summaries goes as its thinking_config: Gemini refuses both.
    expect(python.locator("code")).to_contain_text('"include_thoughts"')
    expect(python.locator("code")).not_to_contain_text("reasoning_effort")
    python.get_by_role("button", name="Copy Python code").click()
    expect(python.get_by_role("button", name="Copy Python code")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert '"include_thoughts"' in copied and "reasoning_effort" not in copied
    assert re.search(r'"include_thoughts": True', copied)
    assert "GEMINI_API_KEY" in copied


def test_a_redraw_overtaken_on_its_way_is_not_drawn_and_none_is_aborted(
    logged_in_page: Page, served
):
    page = logged_in_page
    problems: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.goto(served.base_url + "/chat/")
    pick(page, "Model", "gemini-2.5-flash")

    # A model's redraw and an effort's picked while it is on its way, both held back.
    held: list[Route] = []
    page.route(re.compile(r"/chat/reasoning/"), lambda route: held.append(route))
    page.get_by_label("Model").select_option("gemini-3-flash-preview")
    page.get_by_label("reasoning_effort").select_option("low")
    for _ in range(100):
        if len(held) == 2:
            break
        page.wait_for_timeout(20)
    assert problems == []  # neither aborted: htmx 2 logs an aborted request as an error

    # The model's lands first and is not drawn: the effort's, asked for later, is.
    for route in held:
        with page.expect_response(re.compile(r"/chat/reasoning/")):
            route.continue_()
    expect(page.locator(HTMX_BUSY)).to_have_count(0)
    expect(page.get_by_label("thinking_level")).to_be_visible()
    expect(page.get_by_label("reasoning_effort")).to_have_value("low")
    assert problems == []
