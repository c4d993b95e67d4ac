"""Function calling in a real browser: define a tool, answer its call, get the reply, reload."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

CHECKED = re.compile(r"/runs/tools/check/")


def test_a_tool_loop_from_the_editor_to_the_final_reply_survives_a_reload(
    logged_in_page: Page, served
):
    page = logged_in_page
    page.goto(served.base_url + "/chat/")
    page.get_by_label("Model").select_option("gemini-3-flash-preview")
    page.locator("#tools-settings summary").click()
    page.locator("#tools-settings").get_by_role("button", name="Edit").click()

    # A ready example, checked as soon as it is added; tool_choice offers it by name.
    with page.expect_response(CHECKED):
        page.get_by_role("button", name="+ Weather").click()
    expect(page.locator("#tool-problems")).to_have_text("1 tool ready to send.")
    expect(page.locator("#id_tool_choice option")).to_contain_text(
        ["auto", "none", "required", "get_weather: must call it"]
    )

    # A broken tool is pointed out by line and column, and can be removed again.
    page.get_by_role("button", name="Add tool").click()
    editor = page.get_by_label("New tool (JSON)")
    expect(editor).to_be_focused()
    with page.expect_response(CHECKED):
        editor.fill('{"type": "function",\n "function": {"name": "broken"')
    expect(page.locator("#tool-problems")).to_contain_text("Tool 2: Line 2, column")
    with page.expect_response(CHECKED):
        page.get_by_role("button", name="Remove this tool").click()
    expect(page.locator("#tool-problems")).to_have_text("1 tool ready to send.")

    page.get_by_role("button", name="Use this prompt").click()
    expect(page.get_by_label("Message")).to_have_value("What's the weather like in Chicago today?")
    page.get_by_role("button", name="Send").click()

    call = page.locator(".turn-assistant .tool-call")
    expect(call).to_have_count(1, timeout=20000)
    expect(call).to_contain_text("get_weather")
    expect(call.locator(".tool-arguments")).to_contain_text('"location": "Chicago"')
    expect(call).to_contain_text("signed")
    page.get_by_label("What get_weather returned").fill("Sunny, 24 °C")
    page.get_by_role("button", name="Continue").click()

    answer = page.locator('.turn-assistant[data-state="done"] .answer')
    expect(answer).to_contain_text("returned “Sunny, 24 °C”", timeout=20000)
    expect(page.locator(".turn-tool .tool-result")).to_contain_text("Sunny, 24 °C")
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/chat/\d+/$"))

    page.reload()
    expect(page.locator(".turn-assistant .tool-call .tool-arguments")).to_contain_text(
        '"location": "Chicago"'
    )
    expect(page.locator(".turn-tool .tool-result")).to_contain_text("Sunny, 24 °C")
    expect(page.locator(".turn-assistant .answer")).to_contain_text("returned “Sunny, 24 °C”")
    expect(page.locator("#tools-settings")).to_have_attribute("open", "")
    expect(page.get_by_label("Tool get_weather (JSON)")).to_have_value(
        re.compile(r'"name": "get_weather"')
    )
