"""A reply formats as it streams; the tools editor opens in a dialog; one message per problem."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.signing import sign_in
from tests.servers import ServedPlayground

# The emulator thinks for up to ~9 s before its answer starts (see tests/e2e/test_chat.py).
ANSWER_STARTS_MS = 15000


def test_markdown_formats_while_streaming_and_the_editors_and_errors_read_well(
    page: Page, served_slow: ServedPlayground
):
    sign_in(page, served_slow)
    expect(page).to_have_url(re.compile(r"/chat/$"))

    # A prompt too long gets one message, labelled in words, not also "Type a message first".
    page.get_by_label("Message").fill("x" * 200_000)
    page.get_by_label("Message").press("Enter")
    errors = page.locator("#composer-errors li")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("Message: At most 100,000 characters")

    # The tools editor opens in a dialog; a broken tool's check shows beside its text.
    page.locator("#tools-settings summary").click()
    page.locator("#tools-settings").get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Tools")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="+ Weather").click()
    editor = dialog.get_by_label("Tool get_weather (JSON)")
    expect(editor).to_be_focused()
    editor.press("Control+End")
    editor.type("\n,")
    problem = dialog.locator("#tool-problems .problem-error")
    expect(problem).to_contain_text("Line 27, column 1")
    expect(dialog.locator(".line-numbers").first).to_contain_text("27")
    text_box, problem_box = editor.bounding_box(), problem.bounding_box()
    assert problem_box["x"] >= text_box["x"] + text_box["width"], "the check sits beside the text"
    assert problem_box["y"] < text_box["y"] + text_box["height"]
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#tools-summary")).to_have_text("1 tool: (not valid JSON)")
    page.locator("#tools-settings").get_by_role("button", name="Edit").click()
    dialog.get_by_role("button", name="Remove the tool get_weather").click()
    expect(dialog.locator("#tool-problems")).to_be_empty()
    page.keyboard.press("Escape")
    expect(page.locator("#tools-summary")).to_have_text("No tools")

    # A list and bold text show formatted while the reply is still streaming.
    page.get_by_label("Message").fill("Give me a markdown list of three rivers")
    page.get_by_label("Message").press("Enter")
    expect(errors).to_have_count(0)  # the send that started cleared the old problem
    streaming = page.locator('.turn-assistant[data-state="streaming"]')
    expect(streaming.locator(".answer-live li strong").first).to_be_visible(
        timeout=ANSWER_STARTS_MS + 10000
    )
    expect(streaming).to_have_count(1)  # still streaming when the list showed formatted
    expect(streaming.locator(".answer-live .live-open")).not_to_contain_text("- **")
    done = page.locator('.turn-assistant[data-state="done"]')
    expect(done.locator(".answer li strong").first).to_be_visible(timeout=30000)
